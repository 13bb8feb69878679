#pragma once
// What is said in a title, line by line at its time (issue #8): subtitle cues (embedded streams and sidecar files)
// and recognised speech. By default it shows what scene search uses (core/search/media_text_sources.cpp): every
// subtitle line, and recognised speech only in languages that have no subtitles; the track box picks one source and
// language instead. The line under the playhead is highlighted; clicking a line (or Enter on it) asks to seek there.
#include <QWidget>
#include <vector>

#include "core/store/annotation_records.h"

class QComboBox;
class QLabel;
class QTreeWidget;

namespace frameline::ui {

// Segments as scene search chooses them: a language's recognised speech is left out where it has subtitle text.
std::vector<frameline::TranscriptSegment> preferred_transcript(const std::vector<frameline::TranscriptSegment>& all);

class TranscriptPanel : public QWidget {
    Q_OBJECT
public:
    explicit TranscriptPanel(QWidget* parent = nullptr);

    void setSegments(std::vector<frameline::TranscriptSegment> segments);  // the title's, all sources
    void clear() { setSegments({}); }
    // Highlights (and scrolls to) the line being said at `seconds`; does not seek.
    void setPlayhead(double seconds);

    int lineCount() const;
    double lineStart(int row) const;   // -1 when out of range
    QString lineText(int row) const;
    int currentLine() const;           // the highlighted row, -1 none
    QRect lineRect(int row) const;     // in the list's viewport, for clicks
    QTreeWidget* list() const { return list_; }
    QComboBox* trackBox() const { return tracks_; }

Q_SIGNALS:
    void seekRequested(double seconds);

private:
    void rebuild();

    std::vector<frameline::TranscriptSegment> all_;
    std::vector<frameline::TranscriptSegment> shown_;
    QComboBox* tracks_ = nullptr;
    QLabel* summary_ = nullptr;
    QTreeWidget* list_ = nullptr;
    bool highlighting_ = false;
};

}  // namespace frameline::ui
