#pragma once
// The title's video: QMediaPlayer into a QVideoWidget, a play/pause button and the position; the editor's J/K/L
// shuttle and frame stepping. QMediaPlayer cannot play backwards, so shuttling back is a timer that seeks back in
// steps (coarser the faster it goes).
#include <QImage>
#include <QList>
#include <QRectF>
#include <QWidget>

class QAudioOutput;
class QLabel;
class QMediaPlayer;
class QPushButton;
class QTimer;
class QVideoWidget;
class QStackedWidget;

namespace frameline::ui {

class PlayerView : public QWidget {
    Q_OBJECT
public:
    explicit PlayerView(QWidget* parent = nullptr);
    ~PlayerView() override;

    // Empty: nothing loaded. `duration_hint_s` (from the database) shows until the player knows the duration.
    void setSource(const QString& media_path, double duration_hint_s = 0.0);
    // Until playback first starts, the picture area shows a still (the sampled frame nearest the position, from
    // the database's thumbnails): a paused player has decoded nothing yet, and offscreen it never renders.
    // posterNeeded asks for one after each seek while the still is shown.
    void setPoster(const QImage& image);
    bool showsPoster() const;
    QImage posterImage() const { return poster_image_; }
    // Text seen in the still's frame (OCR lines, issue #8): boxes in fractions of the frame with their strings,
    // drawn over the still (outlined, the string above each box) while the overlay is on. The caller sets the boxes
    // of the frame it shows as the poster; setSource clears them.
    struct OverlayBox {
        QRectF rect;  // x, y, width, height as fractions of the frame
        QString text;
    };
    void setOverlayBoxes(const QList<OverlayBox>& boxes);
    QList<OverlayBox> overlayBoxes() const { return overlay_boxes_; }
    void setOverlayVisible(bool visible);
    bool overlayVisible() const { return overlay_visible_; }
    // Where the boxes are drawn now, in the still's coordinates (empty: overlay off, no still, or no boxes).
    QList<QRect> overlayRects() const { return overlay_rects_; }
    QWidget* posterWidget() const;
    void seekTo(double seconds);
    void togglePlayPause();

    // The title's nominal frame rate, for frame steps (0: unknown, steps of 1/25 s).
    void setFrameRate(double fps);
    double frameRate() const { return fps_; }
    // L: play forward, faster on each press (1x, 2x, 4x, 8x). J: play backward (stepping), faster on each press.
    // K: pause and stop shuttling.
    void shuttleForward();
    void shuttleBackward();
    void pause();
    // Shuttle speed now: > 0 forward, < 0 backward, 0 paused.
    int shuttleRate() const { return shuttle_rate_; }
    // Pauses and moves `frames` frames (negative: back), clamped to the title.
    void stepFrames(int frames);
    void seekToStart();
    void seekToEnd();  // the last frame
    // The position as far as this view knows: the last seek asked for, or what the player reported since.
    double currentSeconds() const;

    // The position last asked for with seekTo, in ms (-1: none). Tests assert on this because a headless
    // GStreamer may never report a real position.
    qint64 requestedPositionMs() const { return requested_position_ms_; }
    double positionSeconds() const;
    QMediaPlayer* mediaPlayer() const { return player_; }

Q_SIGNALS:
    void posterNeeded(double seconds);
    void positionChanged(double seconds);

private:
    void updatePositionLabel();
    void showPosterImage();
    void resizeEvent(QResizeEvent* event) override;
    void onMediaStatusChanged();
    void onReverseTick();
    double durationSeconds() const;

    QMediaPlayer* player_ = nullptr;
    QAudioOutput* audio_ = nullptr;  // only when the machine has an audio output
    QVideoWidget* video_ = nullptr;
    QStackedWidget* picture_ = nullptr;  // the poster still, then the video once it plays
    QLabel* poster_ = nullptr;
    QImage poster_image_;
    QList<OverlayBox> overlay_boxes_;
    QList<QRect> overlay_rects_;
    bool overlay_visible_ = true;
    QPushButton* play_button_ = nullptr;
    QLabel* position_label_ = nullptr;
    QLabel* error_label_ = nullptr;
    qint64 requested_position_ms_ = -1;
    qint64 pending_seek_ms_ = -1;  // asked for before the media was loaded; applied when it is
    qint64 duration_hint_ms_ = 0;
    qint64 last_position_ms_ = 0;  // the last seek or player report
    double fps_ = 0.0;
    int shuttle_rate_ = 0;
    QTimer* reverse_timer_ = nullptr;
};

}  // namespace frameline::ui
