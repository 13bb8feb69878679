#include "ui/first_run.h"

#include <QEvent>
#include <QTabWidget>

namespace frameline::ui {

QString empty_library_text(const QString& database_url)
{
    return QObject::tr("<h3>No titles yet</h3>"
                       "<p>Add a video to review its shots, tags, characters, chapters and artwork:</p>"
                       "<ul><li>drop a video file on this window,</li>"
                       "<li>or choose <b>File ▸ Add Title…</b> (Ctrl+O),</li>"
                       "<li>or from a terminal:<br><code>frameline-cli ingest FILE --db %1</code></li></ul>"
                       "<p>Titles that reviewers elsewhere or cluster workers add to this database appear here "
                       "by themselves.</p>")
        .arg(database_url.toHtmlEscaped());
}

NoTitleOverlay::NoTitleOverlay(QTabWidget* tabs, QList<QWidget*> pages)
    : QLabel(tabs), tabs_(tabs), pages_(std::move(pages))
{
    setObjectName(QStringLiteral("noTitleOverlay"));
    setLibraryEmpty(false);
    setAlignment(Qt::AlignCenter);
    setWordWrap(true);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Window);
    // The pages live in the tab widget's stack: follow its geometry (already updated when its Resize arrives).
    if (!pages_.isEmpty() && pages_.first()->parentWidget()) pages_.first()->parentWidget()->installEventFilter(this);
    connect(tabs_, &QTabWidget::currentChanged, this, &NoTitleOverlay::update_placement);
    update_placement();
}

void NoTitleOverlay::setTitleSelected(bool selected)
{
    selected_ = selected;
    update_placement();
}

void NoTitleOverlay::setLibraryEmpty(bool empty)
{
    library_empty_ = empty;
    setText(empty ? tr("<h3>No title selected</h3><p>There are no titles yet: add one as the panel on the left "
                       "explains.</p>")
                  : tr("<h3>No title selected</h3><p>Choose a title in the list on the left.</p>"));
}

bool NoTitleOverlay::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::Resize || event->type() == QEvent::Move || event->type() == QEvent::Show)
        update_placement();
    (void)watched;
    return QLabel::eventFilter(watched, event);
}

void NoTitleOverlay::update_placement()
{
    QWidget* page = tabs_->currentWidget();
    const bool cover = !selected_ && page && pages_.contains(page);
    if (!cover) {
        hide();
        return;
    }
    // The page's area inside the tab widget (below the tab bar): the stack's, which the page fills.
    QWidget* stack = page->parentWidget();
    setGeometry(stack && stack->parentWidget() == tabs_ ? stack->geometry()
                                                        : QRect(page->mapTo(tabs_, QPoint(0, 0)), page->size()));
    show();
    raise();
}

}  // namespace frameline::ui
