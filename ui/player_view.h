#pragma once
// The title's video: QMediaPlayer into a QVideoWidget, a play/pause button and the position.
#include <QWidget>

class QAudioOutput;
class QLabel;
class QMediaPlayer;
class QPushButton;
class QVideoWidget;

namespace frameline::ui {

class PlayerView : public QWidget {
    Q_OBJECT
public:
    explicit PlayerView(QWidget* parent = nullptr);
    ~PlayerView() override;

    // Empty: nothing loaded. `duration_hint_s` (from the database) shows until the player knows the duration.
    void setSource(const QString& media_path, double duration_hint_s = 0.0);
    void seekTo(double seconds);
    void togglePlayPause();

    // The position last asked for with seekTo, in ms (-1: none). Tests assert on this because a headless
    // GStreamer may never report a real position.
    qint64 requestedPositionMs() const { return requested_position_ms_; }
    double positionSeconds() const;
    QMediaPlayer* mediaPlayer() const { return player_; }

Q_SIGNALS:
    void positionChanged(double seconds);

private:
    void updatePositionLabel();
    void onMediaStatusChanged();

    QMediaPlayer* player_ = nullptr;
    QAudioOutput* audio_ = nullptr;  // only when the machine has an audio output
    QVideoWidget* video_ = nullptr;
    QPushButton* play_button_ = nullptr;
    QLabel* position_label_ = nullptr;
    QLabel* error_label_ = nullptr;
    qint64 requested_position_ms_ = -1;
    qint64 pending_seek_ms_ = -1;  // asked for before the media was loaded; applied when it is
    qint64 duration_hint_ms_ = 0;
};

}  // namespace frameline::ui
