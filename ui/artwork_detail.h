#pragma once
// One artwork candidate in full: the frame large (with each crop outlined), a caption (frame, time, score, state,
// rank), the score breakdown as bars and the crop previews. The board shows one for the selected card, and two side
// by side to compare.
#include <QImage>
#include <QWidget>

#include "ui/artwork_model.h"

class QLabel;

namespace frameline::ui {

class ArtworkBreakdownBars;
class ArtworkCropStrip;

// The frame, fitted, with the crops outlined and named.
class ArtworkPicture : public QWidget {
    Q_OBJECT
public:
    explicit ArtworkPicture(QWidget* parent = nullptr);
    void setPicture(const QImage& image, const QString& crops_json);
    QSize sizeHint() const override { return {360, 220}; }
    QSize minimumSizeHint() const override { return {160, 100}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QImage image_;
    QString crops_;
};

class ArtworkDetail : public QWidget {
    Q_OBJECT
public:
    explicit ArtworkDetail(QWidget* parent = nullptr);
    // `card` null: "select a candidate".
    void setCard(const ArtworkCard* card, const QImage& thumbnail);
    qint64 candidateId() const { return candidate_id_; }
    QString caption() const;
    ArtworkBreakdownBars* breakdownBars() const { return bars_; }
    ArtworkCropStrip* cropStrip() const { return crops_; }

private:
    qint64 candidate_id_ = 0;
    QLabel* caption_ = nullptr;
    ArtworkPicture* picture_ = nullptr;
    ArtworkBreakdownBars* bars_ = nullptr;
    ArtworkCropStrip* crops_ = nullptr;
};

}  // namespace frameline::ui
