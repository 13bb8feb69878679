#include "ui/transcript_panel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <set>

#include "ui/time_format.h"

namespace frameline::ui {

namespace {
QString qs(const std::string& s) { return QString::fromStdString(s); }

QString source_name(const std::string& source)
{
    if (source == "speech") return TranscriptPanel::tr("speech recognition");
    if (source == "sidecar") return TranscriptPanel::tr("subtitle file");
    return TranscriptPanel::tr("subtitles");
}
}  // namespace

std::vector<TranscriptSegment> preferred_transcript(const std::vector<TranscriptSegment>& all)
{
    std::set<std::string> subtitled;  // languages with subtitle text (the rule of transcript_source())
    for (const TranscriptSegment& s : all)
        if (s.source != "speech") subtitled.insert(s.language);
    std::vector<TranscriptSegment> shown;
    for (const TranscriptSegment& s : all) {
        if (s.text.empty()) continue;
        if (s.source == "speech" && subtitled.count(s.language)) continue;
        shown.push_back(s);
    }
    return shown;
}

TranscriptPanel::TranscriptPanel(QWidget* parent) : QWidget(parent)
{
    tracks_ = new QComboBox(this);
    tracks_->setObjectName(QStringLiteral("transcriptTrack"));
    tracks_->setToolTip(tr("Which text to show. Subtitles first: what scene search uses (every subtitle line, and recognised speech "
                          "only in languages without subtitles); or one source and language."));
    tracks_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    summary_ = new QLabel(this);
    summary_->setEnabled(false);
    list_ = new QTreeWidget(this);
    list_->setObjectName(QStringLiteral("transcriptList"));
    list_->setRootIsDecorated(false);
    list_->setUniformRowHeights(true);
    list_->setHeaderLabels({tr("Time"), tr("Text")});
    list_->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    list_->header()->setStretchLastSection(true);
    list_->setWordWrap(false);
    list_->setSelectionMode(QAbstractItemView::SingleSelection);

    auto* head = new QHBoxLayout;
    head->addWidget(tracks_);
    head->addWidget(summary_, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(head);
    layout->addWidget(list_, 1);

    connect(tracks_, &QComboBox::currentIndexChanged, this, [this] { rebuild(); });
    auto seek = [this](QTreeWidgetItem* item) {
        if (highlighting_ || !item) return;
        Q_EMIT seekRequested(item->data(0, Qt::UserRole).toDouble());
    };
    connect(list_, &QTreeWidget::itemClicked, this, seek);
    connect(list_, &QTreeWidget::itemActivated, this, seek);
    rebuild();
}

void TranscriptPanel::setSegments(std::vector<TranscriptSegment> segments)
{
    all_ = std::move(segments);
    // Tracks: "as search uses them", then each source and language present.
    const QString previous = tracks_->currentData().toString();
    const QSignalBlocker block(tracks_);
    tracks_->clear();
    tracks_->addItem(tr("Subtitles first"), QString());
    std::set<std::pair<std::string, std::string>> seen;
    for (const TranscriptSegment& s : all_)
        if (seen.insert({s.source, s.language}).second)
            tracks_->addItem(QStringLiteral("%1 · %2").arg(source_name(s.source), qs(s.language)),
                             qs(s.source + "\n" + s.language));
    const int keep = tracks_->findData(previous);
    tracks_->setCurrentIndex(keep >= 0 ? keep : 0);
    tracks_->setEnabled(!all_.empty());
    rebuild();
}

void TranscriptPanel::rebuild()
{
    const QStringList track = tracks_->currentData().toString().split(QLatin1Char('\n'));
    if (track.size() == 2) {
        shown_.clear();
        for (const TranscriptSegment& s : all_)
            if (!s.text.empty() && qs(s.source) == track[0] && qs(s.language) == track[1]) shown_.push_back(s);
    } else {
        shown_ = preferred_transcript(all_);
    }
    list_->clear();
    std::set<std::string> sources;
    for (const TranscriptSegment& s : shown_) {
        auto* item = new QTreeWidgetItem(list_);
        item->setText(0, format_time(s.start_s));
        item->setData(0, Qt::UserRole, s.start_s);
        item->setData(0, Qt::UserRole + 1, s.end_s);
        QString text = qs(s.text).simplified();  // a cue's line breaks: one row
        item->setText(1, text);
        QString tip = QStringLiteral("%1–%2  %3 (%4)\n%5")
                          .arg(format_time(s.start_s), format_time(s.end_s), source_name(s.source), qs(s.language),
                               qs(s.text));
        if (!s.words.empty()) {  // recognised speech: each word at its time
            QStringList words;
            for (const TranscriptWord& w : s.words)
                words << QStringLiteral("%1 %2 (%3)").arg(format_time(w.start_s), qs(w.word)).arg(w.confidence, 0, 'f', 2);
            tip += QStringLiteral("\n\n") + words.join(QLatin1Char('\n'));
        }
        item->setToolTip(1, tip);
        if (s.source == "speech") item->setForeground(1, list_->palette().color(QPalette::PlaceholderText));
        sources.insert(s.source);
    }
    if (all_.empty())
        summary_->setText(tr("No subtitles or recognised speech for this title."));
    else if (shown_.empty())
        summary_->setText(tr("No lines in this track."));
    else
        summary_->setText((shown_.size() == 1 ? tr("1 line") : tr("%1 lines").arg(shown_.size())) +
                          (sources.count("speech") ? tr("; recognised speech in grey") : QString()));
}

void TranscriptPanel::setPlayhead(double seconds)
{
    int row = -1;
    for (int i = 0; i < static_cast<int>(shown_.size()); ++i) {
        if (shown_[i].start_s > seconds + 1e-6) break;
        if (seconds < shown_[i].end_s + 1e-6) row = i;
    }
    if (row == currentLine()) return;
    highlighting_ = true;
    if (row < 0) {
        list_->clearSelection();
        list_->setCurrentItem(nullptr);
    } else {
        QTreeWidgetItem* item = list_->topLevelItem(row);
        list_->setCurrentItem(item);
        list_->scrollToItem(item);
    }
    highlighting_ = false;
}

int TranscriptPanel::lineCount() const { return list_->topLevelItemCount(); }

double TranscriptPanel::lineStart(int row) const
{
    const QTreeWidgetItem* item = list_->topLevelItem(row);
    return item ? item->data(0, Qt::UserRole).toDouble() : -1.0;
}

QString TranscriptPanel::lineText(int row) const
{
    const QTreeWidgetItem* item = list_->topLevelItem(row);
    return item ? item->text(1) : QString();
}

int TranscriptPanel::currentLine() const
{
    QTreeWidgetItem* item = list_->currentItem();
    return item && item->isSelected() ? list_->indexOfTopLevelItem(item) : -1;
}

QRect TranscriptPanel::lineRect(int row) const
{
    QTreeWidgetItem* item = list_->topLevelItem(row);
    return item ? list_->visualItemRect(item) : QRect();
}

}  // namespace frameline::ui
