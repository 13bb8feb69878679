#include "ui/title_texts_panel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTreeWidget>
#include <QUndoStack>
#include <QVBoxLayout>

#include "core/store/store.h"
#include "ui/review_session.h"
#include "ui/title_text_command.h"

namespace frameline::ui {

struct TitleTextsLoad {
    qint64 title_id = 0;
    quint64 generation = 0;
    std::vector<TitleTextAnalysis> texts;
    QString error;
};

namespace {
constexpr int kIdRole = Qt::UserRole + 1;

TitleTextsLoad load_texts(Store& store, qint64 title_id, quint64 generation)
{
    TitleTextsLoad load;
    load.title_id = title_id;
    load.generation = generation;
    try {
        const std::vector<Tag> tags = store.tags(title_id);  // keywords link to these labels
        for (const TitleText& t : store.title_texts(title_id)) load.texts.push_back(analyse_title_text(t, tags));
    } catch (const std::exception& e) {
        load.error = QString::fromUtf8(e.what());
    }
    return load;
}

QString qs(const std::string& s) { return QString::fromStdString(s); }

QString first_line(const std::string& text, int max_chars = 90)
{
    QString line = qs(text).simplified();
    if (line.size() > max_chars) line = line.left(max_chars - 1) + QChar(0x2026);
    return line;
}
}  // namespace

QString keyword_summary(const TitleTextAnalysis& text)
{
    QStringList parts;
    for (const TextKeyword& k : text.keywords) {
        QStringList tags;
        for (const KeywordTagLink& l : text.tag_links)
            if (l.keyword == k.phrase && !tags.contains(qs(l.label))) tags << qs(l.label);
        parts << (tags.isEmpty() ? qs(k.phrase)
                                 : TitleTextsPanel::tr("%1 (→ tag %2)").arg(qs(k.phrase), tags.join(QStringLiteral(", "))));
    }
    return parts.join(QStringLiteral(", "));
}

QString sentiment_summary(const LexiconSentiment& s)
{
    return TitleTextsPanel::tr("%1 %2 (%3)")
        .arg(qs(s.label))
        .arg(s.score >= 0 ? QStringLiteral("+%1").arg(s.score, 0, 'f', 2) : QString::number(s.score, 'f', 2))
        .arg(qs(s.method));
}

TitleTextsPanel::TitleTextsPanel(ReviewSession* session, QWidget* parent) : QWidget(parent), session_(session)
{
    auto heading = [this](const QString& text) {
        auto* l = new QLabel(QStringLiteral("<b>%1</b>").arg(text.toHtmlEscaped()), this);
        return l;
    };
    synopsis_source_ = new QLabel(this);
    synopsis_source_->setEnabled(false);  // greyed: where the text comes from
    synopsis_edit_ = new QPlainTextEdit(this);
    synopsis_edit_->setObjectName(QStringLiteral("synopsisEditor"));
    synopsis_edit_->setPlaceholderText(tr("No synopsis yet: write one and press Save synopsis."));
    synopsis_edit_->setMaximumHeight(64);
    synopsis_edit_->setTabChangesFocus(true);
    save_synopsis_ = new QPushButton(tr("Save synopsis"), this);
    save_synopsis_->setObjectName(QStringLiteral("saveSynopsis"));
    synopsis_keywords_ = new QLabel(this);
    synopsis_keywords_->setWordWrap(true);
    synopsis_keywords_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    description_ = new QLabel(this);
    description_->setWordWrap(true);
    description_->setTextFormat(Qt::PlainText);
    description_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    description_->setAlignment(Qt::AlignTop | Qt::AlignLeft);

    reviews_ = new QTreeWidget(this);
    reviews_->setObjectName(QStringLiteral("reviewList"));
    reviews_->setRootIsDecorated(false);
    // Three rows at least, more when there is room: its size hint must not push the editor below the fold.
    reviews_->setMinimumHeight(72);
    reviews_->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Ignored);
    reviews_->setUniformRowHeights(true);
    reviews_->setHeaderLabels({tr("Review"), tr("Lexicon sentiment"), tr("Keywords")});
    // The review's words take what is left; sentiment and keywords are short columns (full text in tooltips).
    reviews_->header()->setMinimumSectionSize(60);
    reviews_->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    reviews_->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    reviews_->header()->setSectionResizeMode(2, QHeaderView::Interactive);
    reviews_->header()->setStretchLastSection(false);
    reviews_->setColumnWidth(2, 150);
    reviews_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    reviews_->setTextElideMode(Qt::ElideRight);
    reviews_->setToolTip(tr("Lexicon sentiment: English word lists with VADER-style rules (negation, intensifiers, "
                            "\"but\"), not a model; sarcasm and irony are not understood."));
    review_edit_ = new QPlainTextEdit(this);
    review_edit_->setObjectName(QStringLiteral("reviewEditor"));
    review_edit_->setPlaceholderText(tr("Paste or write a review's text, then press Add review."));
    review_edit_->setMaximumHeight(52);
    review_edit_->setTabChangesFocus(true);
    add_review_ = new QPushButton(tr("Add review"), this);
    add_review_->setObjectName(QStringLiteral("addReview"));
    delete_review_ = new QPushButton(tr("Delete review"), this);
    delete_review_->setObjectName(QStringLiteral("deleteReview"));
    message_ = new QLabel(this);
    message_->setWordWrap(true);
    message_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    message_->hide();

    auto* layout = new QVBoxLayout(this);
    layout->setSpacing(4);
    auto* synopsis_head = new QHBoxLayout;
    synopsis_head->addWidget(heading(tr("Synopsis")));
    synopsis_head->addWidget(synopsis_source_, 1);
    synopsis_head->addWidget(save_synopsis_);
    layout->addLayout(synopsis_head);
    layout->addWidget(synopsis_edit_);
    layout->addWidget(synopsis_keywords_);
    layout->addWidget(heading(tr("Description (from the file's metadata)")));
    layout->addWidget(description_);
    layout->addWidget(heading(tr("Reviews")));
    layout->addWidget(reviews_, 1);
    layout->addWidget(review_edit_);
    auto* review_buttons = new QHBoxLayout;
    review_buttons->addStretch(1);
    review_buttons->addWidget(delete_review_);
    review_buttons->addWidget(add_review_);
    layout->addLayout(review_buttons);
    layout->addWidget(message_);

    connect(save_synopsis_, &QPushButton::clicked, this, &TitleTextsPanel::saveSynopsis);
    connect(add_review_, &QPushButton::clicked, this, &TitleTextsPanel::addReview);
    connect(delete_review_, &QPushButton::clicked, this, &TitleTextsPanel::deleteSelectedReview);
    connect(reviews_, &QTreeWidget::itemSelectionChanged, this, &TitleTextsPanel::updateButtons);
    if (session) {
        connect(session, &ReviewSession::edited, this, &TitleTextsPanel::onEdited);
        connect(session, &ReviewSession::editFailed, this, [this](const EditReport& r) {
            if (r.entity != QLatin1String("title_text") || r.title_id != title_id_) return;
            setMessage(tr("%1 was not saved: %2").arg(r.text, r.error), true);
            if (!r.undo && !unsaved_review_.isEmpty() && review_edit_->toPlainText().isEmpty())
                review_edit_->setPlainText(unsaved_review_);  // the reviewer's words are not lost
            unsaved_review_.clear();
            reload();
        });
        connect(session, &ReviewSession::changedElsewhere, this, &TitleTextsPanel::reload);
    }
    showTitle(0);
}

TitleTextsPanel::~TitleTextsPanel() = default;

void TitleTextsPanel::showTitle(qint64 title_id)
{
    if (title_id != title_id_) {
        setMessage({}, false);
        synopsis_edit_->clear();
        synopsis_edit_->document()->setModified(false);
        review_edit_->clear();
    }
    title_id_ = title_id;
    if (title_id == 0) {
        ++generation_;
        loading_ = false;
        texts_.clear();
        reviews_->clear();
        description_->clear();
        synopsis_keywords_->clear();
        synopsis_source_->clear();
        updateButtons();
        return;
    }
    reload();
}

void TitleTextsPanel::reload()
{
    if (title_id_ == 0 || !session_) return;
    loading_ = true;
    const quint64 generation = ++generation_;
    const qint64 title = title_id_;
    session_->read(
        this, [title, generation](Store& store) { return load_texts(store, title, generation); },
        [this](TitleTextsLoad load) { onLoaded(load); });
}

const TitleTextAnalysis* TitleTextsPanel::shownSynopsis() const
{
    const TitleTextAnalysis* shown = nullptr;
    for (const TitleTextAnalysis& a : texts_) {
        if (a.text.kind != "synopsis") continue;
        // A person's synopsis wins over the file's; among equals the newest (the list is oldest first).
        if (!shown || a.text.source != "metadata" || shown->text.source == "metadata") shown = &a;
    }
    return shown;
}

void TitleTextsPanel::onLoaded(const TitleTextsLoad& load)
{
    if (load.generation != generation_ || load.title_id != title_id_) return;  // superseded
    loading_ = false;
    if (!load.error.isEmpty()) {
        setMessage(tr("The title's texts could not be read: %1").arg(load.error), true);
        Q_EMIT loaded(load.title_id);
        return;
    }
    texts_ = load.texts;

    const TitleTextAnalysis* synopsis = shownSynopsis();
    if (!synopsis_edit_->document()->isModified()) {  // never overwrite what the reviewer is typing
        synopsis_edit_->setPlainText(synopsis ? qs(synopsis->text.text) : QString());
        synopsis_edit_->document()->setModified(false);
    }
    synopsis_source_->setText(!synopsis ? QString()
                              : synopsis->text.source == "metadata"
                                  ? tr("from the file's metadata; saving keeps that and adds yours")
                                  : tr("entered by a person, %1").arg(qs(synopsis->text.created_at).left(10)));
    const QString keywords = synopsis ? keyword_summary(*synopsis) : QString();
    synopsis_keywords_->setText(keywords.isEmpty() ? QString() : tr("Keywords: %1").arg(keywords));
    synopsis_keywords_->setVisible(!keywords.isEmpty());

    QStringList descriptions;
    for (const TitleTextAnalysis& a : texts_) {
        if (a.text.kind != "description") continue;
        QString d = qs(a.text.text);
        if (const QString k = keyword_summary(a); !k.isEmpty()) d += QStringLiteral("\n") + tr("Keywords: %1").arg(k);
        descriptions << d;
    }
    description_->setText(descriptions.isEmpty() ? tr("None: the file's metadata has no description.")
                                                 : descriptions.join(QStringLiteral("\n\n")));
    description_->setEnabled(!descriptions.isEmpty());

    const qint64 selected = reviews_->currentItem() ? reviews_->currentItem()->data(0, kIdRole).toLongLong() : 0;
    reviews_->clear();
    for (const TitleTextAnalysis& a : texts_) {
        if (a.text.kind != "review") continue;
        auto* item = new QTreeWidgetItem(reviews_);
        item->setText(0, first_line(a.text.text));
        item->setData(0, kIdRole, static_cast<qlonglong>(a.text.id));
        if (a.has_sentiment) {
            // The header says "Lexicon sentiment"; the cell stays short, its tooltip names the method again.
            item->setText(1, QStringLiteral("%1 %2").arg(qs(a.sentiment.label),
                                                     a.sentiment.score >= 0 ? QStringLiteral("+%1").arg(a.sentiment.score, 0, 'f', 2)
                                                                            : QString::number(a.sentiment.score, 'f', 2)));
            QStringList hits;
            for (const SentimentHit& h : a.sentiment.hits)
                hits << QStringLiteral("%1 %2%3").arg(qs(h.term)).arg(h.applied, 0, 'f', 2)
                            .arg(h.negated ? tr(" (negated)") : QString());
            item->setToolTip(1, sentiment_summary(a.sentiment) + QStringLiteral("\n") +
                                    (hits.isEmpty() ? tr("No word of the sentiment lexicon occurs: neutral.")
                                                    : tr("Lexicon words: %1").arg(hits.join(QStringLiteral(", ")))));
            const QColor colour = a.sentiment.label == "positive"   ? QColor(0x27, 0xae, 0x60)
                                  : a.sentiment.label == "negative" ? QColor(0xc0, 0x39, 0x2b)
                                                                    : QColor();
            if (colour.isValid()) item->setForeground(1, colour);
        }
        item->setText(2, keyword_summary(a));
        item->setToolTip(2, item->text(2));
        item->setToolTip(0, tr("%1\n\n— %2, %3, %4")
                                .arg(qs(a.text.text), qs(a.text.source), qs(a.text.language),
                                     qs(a.text.created_at)));
        if (a.text.id == selected) reviews_->setCurrentItem(item);
    }
    updateButtons();
    Q_EMIT loaded(load.title_id);
}

void TitleTextsPanel::onEdited(const EditReport& report)
{
    if (report.entity != QLatin1String("title_text") || report.title_id != title_id_) return;
    setMessage({}, false);
    unsaved_review_.clear();
    reload();
}

void TitleTextsPanel::saveSynopsis()
{
    if (title_id_ == 0 || !session_) return;
    const QString text = synopsis_edit_->toPlainText().trimmed();
    if (text.isEmpty()) {
        setMessage(tr("The synopsis is empty: write its text first (Ctrl+Z takes back an earlier edit)."), true);
        return;
    }
    const TitleTextAnalysis* shown = shownSynopsis();
    if (shown && qs(shown->text.text).trimmed() == text) {
        setMessage(tr("The synopsis is unchanged."), false);
        synopsis_edit_->document()->setModified(false);
        return;
    }
    // As `frameline-cli title-text --synopsis`: the synopsis a person entered before in this language is replaced,
    // the file's metadata one stays.
    const std::string language = shown ? shown->text.language : std::string("und");
    std::vector<TitleText> remove;
    for (const TitleTextAnalysis& a : texts_)
        if (a.text.kind == "synopsis" && a.text.source == "human" && a.text.language == language)
            remove.push_back(a.text);
    TitleText add;
    add.kind = "synopsis";
    add.source = "human";
    add.language = language;
    add.text = text.toStdString();
    setMessage({}, false);
    synopsis_edit_->document()->setModified(false);  // the reload after the edit shows what was stored
    session_->undoStack()->push(
        new TitleTextCommand(session_, tr("Edit synopsis"), title_id_, std::move(remove), {add}));
}

void TitleTextsPanel::addReview()
{
    if (title_id_ == 0 || !session_) return;
    const QString text = review_edit_->toPlainText().trimmed();
    if (text.isEmpty()) {
        setMessage(tr("The review is empty: paste or write its text, then press Add review."), true);
        return;
    }
    TitleText add;
    add.kind = "review";
    add.source = "human";
    add.text = text.toStdString();
    setMessage({}, false);
    unsaved_review_ = text;  // given back to the editor if the store refuses it
    review_edit_->clear();
    session_->undoStack()->push(new TitleTextCommand(session_, tr("Add review"), title_id_, {}, {add}));
}

void TitleTextsPanel::deleteSelectedReview()
{
    if (title_id_ == 0 || !session_) return;
    const QTreeWidgetItem* item = reviews_->currentItem();
    if (!item || !item->isSelected()) {
        setMessage(tr("Select the review to delete in the list first."), true);
        return;
    }
    const qint64 id = item->data(0, kIdRole).toLongLong();
    for (const TitleTextAnalysis& a : texts_) {
        if (a.text.id != id) continue;
        setMessage({}, false);
        session_->undoStack()->push(new TitleTextCommand(
            session_, tr("Delete review \"%1\"").arg(first_line(a.text.text, 30)), title_id_, {a.text}, {}));
        return;
    }
}

QString TitleTextsPanel::message() const { return message_->isVisible() ? message_->text() : QString(); }

void TitleTextsPanel::setMessage(const QString& text, bool error)
{
    message_->setText(text);
    message_->setStyleSheet(error ? QStringLiteral("color:#c0392b") : QString());
    message_->setVisible(!text.isEmpty());
}

void TitleTextsPanel::updateButtons()
{
    const bool title = title_id_ != 0;
    save_synopsis_->setEnabled(title);
    add_review_->setEnabled(title);
    synopsis_edit_->setEnabled(title);
    review_edit_->setEnabled(title);
    delete_review_->setEnabled(title && reviews_->currentItem() && reviews_->currentItem()->isSelected());
}

}  // namespace frameline::ui
