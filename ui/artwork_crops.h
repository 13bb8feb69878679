#pragma once
// Crop previews: each artwork shape of a candidate ({"16:9":[x,y,w,h],...} in frame fractions) cut from the frame's
// picture and shown side by side at one height, named below, so the artwork team sees what each shape keeps.
#include <QImage>
#include <QList>
#include <QRectF>
#include <QString>
#include <QWidget>

namespace frameline::ui {

struct ArtworkCropBox {
    QString shape;  // "16:9"
    QRectF box;     // frame fractions
};
// The crops JSON in the usual order (16:9, 2:3, 1:1, 4:3, then any other), boxes clamped to the frame; entries
// that are not four numbers are left out.
QList<ArtworkCropBox> parseCrops(const QString& json);
// The crop's pixels in `image` (fractions scaled to its size); an empty rect when nothing is left.
QRect cropPixels(const QRectF& box, const QSize& image);

class ArtworkCropStrip : public QWidget {
    Q_OBJECT
public:
    explicit ArtworkCropStrip(QWidget* parent = nullptr);
    void setSource(const QImage& frame, const QString& crops_json);
    void setPreviewHeight(int height);
    const QList<ArtworkCropBox>& crops() const { return crops_; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    int previewHeight() const;  // shrinks when the strip is narrower than the previews
    int naturalWidth(int height) const;
    QImage frame_;
    QList<ArtworkCropBox> crops_;
    int preview_height_ = 96;
};

}  // namespace frameline::ui
