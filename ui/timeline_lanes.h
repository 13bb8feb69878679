#pragma once
// The workspace's lanes under the shot strip: chapters, key scenes (and scenes when the analysis made any), then the
// soundtrack: speech, music and any other kind of audio segment, each in its own lane. Every lane is named in the
// gutter at its left and shares the shot strip's time axis (kLaneLabelWidth). Clicking anything, an item or the
// empty lane, asks to seek there: an item to its start, the empty lane to the time under the mouse.
#include <QColor>
#include <QString>
#include <QWidget>
#include <vector>

#include "core/store/annotation_records.h"

namespace frameline::ui {

struct LaneItem {
    qint64 id = 0;  // the chapter's or audio segment's row id
    double start_s = 0.0;
    double end_s = 0.0;
    QString label;
    double confidence = 0.0;
    bool reviewed = false;  // accepted or corrected by a person
};

struct Lane {
    QString key;   // "chapter", "key_scene", "scene", "speech", "music", the audio kind, or "dialogue"
    QString name;  // what the gutter says
    QColor colour;
    std::vector<LaneItem> items;  // by start
};

class TimelineLanes : public QWidget {
    Q_OBJECT
public:
    explicit TimelineLanes(QWidget* parent = nullptr);

    // The time the lanes span (the shot strip's span, so both line up).
    void setSpan(double span_s);
    // Rejected chapters are not drawn. Chapters and key scenes always have a lane; scenes only when there are some.
    void setChapters(const std::vector<Chapter>& chapters);
    // Speech and music always have a lane; any other kind gets one of its own.
    void setAudioSegments(const std::vector<AudioSegment>& segments);
    // What is said, line by line (the transcript panel's lines: subtitles first): a "Dialogue" lane, only when
    // there are lines. Items are labelled with their text.
    void setDialogue(const std::vector<TranscriptSegment>& lines);
    void clear();
    void setPlayhead(double seconds);

    int laneCount() const { return static_cast<int>(lanes_.size()); }
    const Lane* lane(int index) const;
    int laneIndex(const QString& key) const;  // -1: none
    QRect laneRect(int index) const;          // the time area of the lane (without its gutter)
    QRect laneLabelRect(int index) const;     // the gutter cell with its name
    QRect itemRect(int lane, int item) const;
    double timeAtX(int x) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void seekRequested(double seconds);
    void itemActivated(const QString& lane_key, qint64 id);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;  // tooltips

private:
    void rebuild();
    int xOfTime(double seconds) const;
    int laneAtY(int y) const;
    int itemAt(int lane, int x) const;
    int totalHeight() const;

    std::vector<Lane> chapter_lanes_;
    std::vector<Lane> audio_lanes_;
    std::vector<Lane> dialogue_lanes_;  // none or one
    std::vector<Lane> lanes_;  // chapter lanes, then audio lanes, then dialogue
    double span_s_ = 0.0;
    double playhead_s_ = 0.0;
};

}  // namespace frameline::ui
