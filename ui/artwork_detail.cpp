#include "ui/artwork_detail.h"

#include <QLabel>
#include <QPainter>
#include <QVBoxLayout>

#include "ui/artwork_breakdown.h"
#include "ui/artwork_card_delegate.h"
#include "ui/artwork_crops.h"
#include "ui/time_format.h"

namespace frameline::ui {

ArtworkPicture::ArtworkPicture(QWidget* parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void ArtworkPicture::setPicture(const QImage& image, const QString& crops_json)
{
    image_ = image;
    crops_ = crops_json;
    update();
}

void ArtworkPicture::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::SmoothPixmapTransform);
    p.fillRect(rect(), QColor(0x20, 0x20, 0x20));
    const QRect shown = drawFitted(&p, image_, rect());
    if (!shown.isValid()) {
        p.setPen(QColor(0x90, 0x90, 0x90));
        p.drawText(rect(), Qt::AlignCenter, image_.isNull() ? tr("No picture") : QString());
        return;
    }
    // Each crop outlined in its own colour, named at its top-left corner.
    static const QColor colours[] = {{0xf1, 0xc4, 0x0f}, {0x1a, 0xbc, 0x9c}, {0xe6, 0x7e, 0x22}, {0x9b, 0x59, 0xb6}};
    const QFontMetrics fm = fontMetrics();
    int i = 0;
    for (const ArtworkCropBox& c : parseCrops(crops_)) {
        const QColor colour = colours[i++ % 4];
        const QRectF r(shown.left() + c.box.x() * shown.width(), shown.top() + c.box.y() * shown.height(),
                       c.box.width() * shown.width(), c.box.height() * shown.height());
        p.setPen(QPen(colour, 1.5, Qt::DashLine));
        p.setBrush(Qt::NoBrush);
        p.drawRect(r.adjusted(0.5, 0.5, -0.5, -0.5));
        // Names one under another: crops often share a corner, and their names must not overlap.
        const QRectF label(r.left() + 4, r.top() + 2 + (i - 1) * (fm.height() + 1), fm.horizontalAdvance(c.shape) + 6,
                           fm.height());
        p.fillRect(label, QColor(0, 0, 0, 140));
        p.setPen(colour);
        p.drawText(label, Qt::AlignCenter, c.shape);
    }
}

ArtworkDetail::ArtworkDetail(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    caption_ = new QLabel(this);
    caption_->setObjectName(QStringLiteral("artworkCaption"));
    caption_->setWordWrap(true);
    picture_ = new ArtworkPicture(this);
    bars_ = new ArtworkBreakdownBars(this);
    crops_ = new ArtworkCropStrip(this);
    auto* crops_title = new QLabel(tr("Crops"), this);
    QFont bold = crops_title->font();
    bold.setBold(true);
    crops_title->setFont(bold);
    auto* breakdown_title = new QLabel(tr("Score breakdown"), this);
    breakdown_title->setFont(bold);
    layout->addWidget(caption_);
    layout->addWidget(picture_, 1);
    layout->addWidget(breakdown_title);
    layout->addWidget(bars_);
    layout->addWidget(crops_title);
    layout->addWidget(crops_);
    setCard(nullptr, {});
}

void ArtworkDetail::setCard(const ArtworkCard* card, const QImage& thumbnail)
{
    if (!card) {
        candidate_id_ = 0;
        caption_->setText(tr("Select a candidate to see why it was proposed."));
        picture_->setPicture({}, {});
        bars_->setBreakdown({});
        crops_->setSource({}, {});
        return;
    }
    const ArtworkCandidate& a = card->candidate;
    candidate_id_ = a.id;
    QString text = tr("<b>Frame %1</b> · %2 · score %3 · %4")
                       .arg(a.frame_index)
                       .arg(format_time(card->time_s))
                       .arg(a.score, 0, 'f', 2)
                       .arg(stateName(a.state));
    if (a.rank > 0) text += tr(" · rank %1").arg(a.rank);
    if (card->segment_place > 0)
        text += tr(" · audience #%1 (%2, affinity %3)")
                    .arg(card->segment_place)
                    .arg(card->segment_score, 0, 'f', 2)
                    .arg(card->segment_affinity, 0, 'f', 2);
    caption_->setText(text);
    const QString crops = QString::fromStdString(a.crops);
    picture_->setPicture(thumbnail, crops);
    bars_->setBreakdown(QString::fromStdString(a.breakdown));
    crops_->setSource(thumbnail, crops);
}

QString ArtworkDetail::caption() const
{
    return caption_->text();
}

}  // namespace frameline::ui
