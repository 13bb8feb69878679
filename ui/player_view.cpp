#include "ui/player_view.h"

#include <QAudioDevice>
#include <QAudioOutput>
#include <QHBoxLayout>
#include <QLabel>
#include <QMediaDevices>
#include <QMediaPlayer>
#include <QPainter>
#include <QPushButton>
#include <QResizeEvent>
#include <QStackedWidget>
#include <QStyle>
#include <QTimer>
#include <QUrl>
#include <QVBoxLayout>
#include <QVideoWidget>
#include <algorithm>
#include <cmath>

#include "ui/time_format.h"

namespace frameline::ui {

namespace {
constexpr int kReverseTickMs = 80;  // how often shuttling back seeks: a few pictures a second
constexpr int kMaxShuttle = 8;
}  // namespace

PlayerView::PlayerView(QWidget* parent) : QWidget(parent)
{
    player_ = new QMediaPlayer(this);
    // Without an audio device GStreamer cannot build an audio sink; leaving the output unset plays video only.
    if (!QMediaDevices::audioOutputs().isEmpty()) {
        audio_ = new QAudioOutput(this);
        player_->setAudioOutput(audio_);
    }
    video_ = new QVideoWidget(this);
    video_->setMinimumSize(320, 180);
    video_->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    player_->setVideoOutput(video_);
    poster_ = new QLabel(this);
    poster_->setAlignment(Qt::AlignCenter);
    poster_->setMinimumSize(320, 180);
    poster_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored);  // the still never sizes the window
    poster_->setStyleSheet(QStringLiteral("background: black;"));
    picture_ = new QStackedWidget(this);
    picture_->addWidget(poster_);
    picture_->addWidget(video_);

    play_button_ = new QPushButton(style()->standardIcon(QStyle::SP_MediaPlay), tr("Play"), this);
    play_button_->setToolTip(tr("Play or pause (Space)"));
    play_button_->setFocusPolicy(Qt::NoFocus);  // Space belongs to the window's play/pause shortcut
    play_button_->setEnabled(false);
    position_label_ = new QLabel(this);
    position_label_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont mono = position_label_->font();
    mono.setFamily(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::Monospace);
    position_label_->setFont(mono);
    error_label_ = new QLabel(this);
    error_label_->setStyleSheet(QStringLiteral("color: #c0392b;"));

    auto* controls = new QHBoxLayout;
    controls->addWidget(play_button_);
    controls->addWidget(position_label_);
    controls->addWidget(error_label_, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(picture_, 1);
    layout->addLayout(controls);

    connect(play_button_, &QPushButton::clicked, this, &PlayerView::togglePlayPause);
    reverse_timer_ = new QTimer(this);
    reverse_timer_->setInterval(kReverseTickMs);
    connect(reverse_timer_, &QTimer::timeout, this, &PlayerView::onReverseTick);

    connect(player_, &QMediaPlayer::positionChanged, this, [this](qint64 ms) {
        if (pending_seek_ms_ < 0) last_position_ms_ = ms;  // a report from before a pending seek is stale
        updatePositionLabel();
        Q_EMIT positionChanged(static_cast<double>(ms) / 1000.0);
    });
    connect(player_, &QMediaPlayer::durationChanged, this, &PlayerView::updatePositionLabel);
    connect(player_, &QMediaPlayer::playbackStateChanged, this, [this](QMediaPlayer::PlaybackState state) {
        const bool playing = state == QMediaPlayer::PlayingState;
        if (playing) picture_->setCurrentWidget(video_);  // decoded pictures from now on
        if (state == QMediaPlayer::StoppedState && shuttle_rate_ > 0) shuttle_rate_ = 0;  // ran to the end
        play_button_->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
        play_button_->setText(playing ? tr("Pause") : tr("Play"));
    });
    connect(player_, &QMediaPlayer::mediaStatusChanged, this, &PlayerView::onMediaStatusChanged);
    connect(player_, &QMediaPlayer::errorOccurred, this, [this](QMediaPlayer::Error, const QString& message) {
        error_label_->setText(tr("Cannot play: %1").arg(message));
    });
    updatePositionLabel();
}

PlayerView::~PlayerView()
{
    // Stop the pipeline before the video widget it renders into goes away.
    player_->stop();
}

void PlayerView::setSource(const QString& media_path, double duration_hint_s)
{
    duration_hint_ms_ = static_cast<qint64>(std::llround(std::max(0.0, duration_hint_s) * 1000.0));
    error_label_->clear();
    requested_position_ms_ = -1;
    pending_seek_ms_ = -1;
    last_position_ms_ = 0;
    shuttle_rate_ = 0;
    reverse_timer_->stop();
    player_->stop();
    player_->setPlaybackRate(1.0);
    player_->setSource(media_path.isEmpty() ? QUrl() : QUrl::fromLocalFile(media_path));
    play_button_->setEnabled(!media_path.isEmpty());
    poster_image_ = QImage();
    overlay_boxes_.clear();
    overlay_rects_.clear();
    poster_->clear();
    picture_->setCurrentWidget(poster_);
    updatePositionLabel();
    if (!media_path.isEmpty()) Q_EMIT posterNeeded(0.0);
}

void PlayerView::setPoster(const QImage& image)
{
    poster_image_ = image;
    showPosterImage();
}

bool PlayerView::showsPoster() const { return picture_->currentWidget() == poster_; }

QWidget* PlayerView::posterWidget() const { return poster_; }

void PlayerView::setOverlayBoxes(const QList<OverlayBox>& boxes)
{
    overlay_boxes_ = boxes;
    showPosterImage();
}

void PlayerView::setOverlayVisible(bool visible)
{
    if (visible == overlay_visible_) return;
    overlay_visible_ = visible;
    showPosterImage();
}

void PlayerView::showPosterImage()
{
    overlay_rects_.clear();
    if (poster_image_.isNull()) {
        poster_->clear();
        return;
    }
    // Scaled when shown, not kept at every size: the still is a small thumbnail.
    QImage still = poster_image_.scaled(poster_->size(), Qt::KeepAspectRatio, Qt::SmoothTransformation);
    if (overlay_visible_ && !overlay_boxes_.isEmpty() && !still.isNull()) {
        // Drawn at the shown size, not the thumbnail's: strings stay legible, lines one pixel wide.
        still = still.convertToFormat(QImage::Format_ARGB32_Premultiplied);
        QPainter p(&still);
        p.setRenderHint(QPainter::Antialiasing, false);
        QFont font = p.font();
        font.setPixelSize(std::clamp(still.height() / 28, 10, 16));
        p.setFont(font);
        const QFontMetrics fm(font);
        const QColor box_colour(255, 214, 0);
        const QRect area(QPoint(0, 0), still.size());
        // The label centres the still: rects are reported in the label's coordinates.
        const QPoint offset((poster_->width() - still.width()) / 2, (poster_->height() - still.height()) / 2);
        for (const OverlayBox& b : overlay_boxes_) {
            const QRect r = QRectF(b.rect.x() * still.width(), b.rect.y() * still.height(),
                                   b.rect.width() * still.width(), b.rect.height() * still.height())
                                .toAlignedRect()
                                .intersected(area.adjusted(0, 0, -1, -1));
            if (r.isEmpty()) continue;
            p.setPen(QPen(box_colour, 2));
            p.setBrush(QColor(255, 214, 0, 40));
            p.drawRect(r);
            const QString text = fm.elidedText(b.text, Qt::ElideRight, std::max(40, still.width() - r.left() - 4));
            QRect tag(r.left(), r.top() - fm.height() - 2, fm.horizontalAdvance(text) + 6, fm.height() + 2);
            if (tag.top() < 0) tag.moveTop(std::min(r.bottom() + 1, still.height() - tag.height()));  // below
            if (tag.right() >= still.width()) tag.moveRight(still.width() - 1);
            tag.moveLeft(std::max(0, tag.left()));
            p.fillRect(tag, QColor(0, 0, 0, 190));
            p.setPen(box_colour);
            p.drawText(tag.adjusted(3, 0, -3, 0), Qt::AlignVCenter | Qt::AlignLeft, text);
            overlay_rects_ << r.translated(offset);
        }
    }
    poster_->setPixmap(QPixmap::fromImage(still));
}

void PlayerView::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    if (showsPoster()) showPosterImage();
}

void PlayerView::seekTo(double seconds)
{
    const qint64 ms = static_cast<qint64>(std::llround(std::max(0.0, seconds) * 1000.0));
    requested_position_ms_ = ms;
    last_position_ms_ = ms;
    const auto status = player_->mediaStatus();
    if (status == QMediaPlayer::LoadingMedia || status == QMediaPlayer::NoMedia) {
        pending_seek_ms_ = ms;  // a seek before the pipeline is ready would be dropped
    } else {
        player_->setPosition(ms);
    }
    Q_EMIT positionChanged(static_cast<double>(ms) / 1000.0);  // move the playhead now, not when GStreamer reports
    updatePositionLabel();
    if (showsPoster()) Q_EMIT posterNeeded(static_cast<double>(ms) / 1000.0);
}

void PlayerView::togglePlayPause()
{
    if (player_->source().isEmpty()) return;
    if (player_->playbackState() == QMediaPlayer::PlayingState || shuttle_rate_ != 0) {
        pause();
    } else {
        player_->setPlaybackRate(1.0);
        player_->play();
        shuttle_rate_ = 1;
    }
}

void PlayerView::setFrameRate(double fps) { fps_ = fps > 0 ? fps : 0.0; }

void PlayerView::shuttleForward()
{
    if (player_->source().isEmpty()) return;
    reverse_timer_->stop();
    shuttle_rate_ = shuttle_rate_ <= 0 ? 1 : std::min(kMaxShuttle, shuttle_rate_ * 2);
    player_->setPlaybackRate(shuttle_rate_);
    player_->play();
}

void PlayerView::shuttleBackward()
{
    if (player_->source().isEmpty()) return;
    // Backwards is seeks on a timer; the player itself stays paused.
    shuttle_rate_ = shuttle_rate_ >= 0 ? -1 : std::max(-kMaxShuttle, shuttle_rate_ * 2);
    if (player_->playbackState() == QMediaPlayer::PlayingState) player_->pause();
    player_->setPlaybackRate(1.0);
    if (!reverse_timer_->isActive()) reverse_timer_->start();
}

void PlayerView::pause()
{
    reverse_timer_->stop();
    shuttle_rate_ = 0;
    if (player_->playbackState() == QMediaPlayer::PlayingState) player_->pause();
    player_->setPlaybackRate(1.0);
}

void PlayerView::onReverseTick()
{
    const double now = currentSeconds();
    if (now <= 0.0) {  // at the start: stop there, as an editor does
        pause();
        seekTo(0.0);
        return;
    }
    seekTo(std::max(0.0, now + shuttle_rate_ * kReverseTickMs / 1000.0));
}

double PlayerView::durationSeconds() const
{
    const qint64 duration_ms = player_->duration() > 0 ? player_->duration() : duration_hint_ms_;
    return static_cast<double>(duration_ms) / 1000.0;
}

double PlayerView::currentSeconds() const
{
    if (player_->playbackState() == QMediaPlayer::PlayingState && pending_seek_ms_ < 0)
        return static_cast<double>(player_->position()) / 1000.0;
    return static_cast<double>(last_position_ms_) / 1000.0;
}

void PlayerView::stepFrames(int frames)
{
    if (player_->source().isEmpty()) return;
    pause();
    const double fps = fps_ > 0 ? fps_ : 25.0;
    // The frame shown now is the one whose start is at or before the position (a hair of slack for rounding to ms).
    const auto current = static_cast<qint64>(std::floor(currentSeconds() * fps + 1e-3));
    const auto last = std::max<qint64>(0, static_cast<qint64>(std::ceil(durationSeconds() * fps - 1e-3)) - 1);
    const qint64 target = std::clamp<qint64>(current + frames, 0, last);
    seekTo(static_cast<double>(target) / fps);
}

void PlayerView::seekToStart()
{
    pause();
    seekTo(0.0);
}

void PlayerView::seekToEnd()
{
    pause();
    const double fps = fps_ > 0 ? fps_ : 25.0;
    const auto last = std::max<qint64>(0, static_cast<qint64>(std::ceil(durationSeconds() * fps - 1e-3)) - 1);
    seekTo(static_cast<double>(last) / fps);
}

double PlayerView::positionSeconds() const { return static_cast<double>(player_->position()) / 1000.0; }

void PlayerView::onMediaStatusChanged()
{
    const auto status = player_->mediaStatus();
    if (status == QMediaPlayer::LoadedMedia) {
        if (pending_seek_ms_ >= 0) {
            player_->setPosition(pending_seek_ms_);
            pending_seek_ms_ = -1;
        }
        // Paused (not stopped) prerolls the pipeline, so the first frame (or the seek target) is on screen.
        if (player_->playbackState() == QMediaPlayer::StoppedState) player_->pause();
    } else if (status == QMediaPlayer::InvalidMedia) {
        error_label_->setText(tr("Cannot play %1: %2").arg(player_->source().fileName(), player_->errorString()));
    }
    updatePositionLabel();
}

void PlayerView::updatePositionLabel()
{
    if (player_->source().isEmpty()) {
        position_label_->setText(QStringLiteral("-:--.-- / -:--.--"));
        return;
    }
    // While a seek is in flight the player still reports the old position; show what was asked for.
    const qint64 pos_ms = pending_seek_ms_ >= 0 ? pending_seek_ms_ : player_->position();
    const qint64 duration_ms = player_->duration() > 0 ? player_->duration() : duration_hint_ms_;
    position_label_->setText(QStringLiteral("%1 / %2").arg(format_time(static_cast<double>(pos_ms) / 1000.0),
                                                          format_time(static_cast<double>(duration_ms) / 1000.0)));
}

}  // namespace frameline::ui
