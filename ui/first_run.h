#pragma once
// What a person sees before there is anything to review: the title list explains how to add a title, and the review
// tabs say "No title selected" over their page instead of showing empty widgets. Both are plain labels laid over
// or beside the real widgets, so the views (written elsewhere) need to know nothing about them.
#include <QLabel>
#include <QList>

class QTabWidget;

namespace frameline::ui {

// The text the empty title list shows: drop a file, File ▸ Add Title…, or the CLI command for this database.
QString empty_library_text(const QString& database_url);

// A label over the current page of `tabs` while no title is selected, for the pages listed in `pages`.
class NoTitleOverlay : public QLabel {
    Q_OBJECT
public:
    NoTitleOverlay(QTabWidget* tabs, QList<QWidget*> pages);
    // Shows the overlay on the listed pages while `selected` is false.
    void setTitleSelected(bool selected);
    // With no titles at all the hint points at how to add one instead of at the list.
    void setLibraryEmpty(bool empty);
    // True when it covers the page in front now.
    bool isCovering() const { return isVisible(); }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void update_placement();

    QTabWidget* tabs_ = nullptr;
    QList<QWidget*> pages_;
    bool selected_ = false;
    bool library_empty_ = false;
};

}  // namespace frameline::ui
