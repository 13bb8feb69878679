#include "ui/artwork_export.h"

#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QRegularExpression>
#include <algorithm>
#include <map>
#include <optional>

#include "core/media/video_decoder.h"
#include "core/store/store.h"
#include "ui/artwork_crops.h"

namespace frameline::ui {

QString artworkCropFileName(const QString& title_name, int place, qint64 frame_index, const QString& shape,
                            const QString& format)
{
    QString base = title_name;
    base.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_.-]+")), QStringLiteral("_"));
    if (base.isEmpty()) base = QStringLiteral("title");
    QString s = shape;
    s.replace(QLatin1Char(':'), QLatin1Char('x'));
    return QStringLiteral("%1-%2-f%3-%4.%5").arg(base).arg(place, 2, 10, QLatin1Char('0')).arg(frame_index).arg(s, format);
}

ArtworkExportResult exportArtworkCrops(Store& store, qint64 title_id, const QList<ArtworkExportItem>& items,
                                       const QString& folder, const QString& format)
{
    ArtworkExportResult out;
    const QFileInfo dir(folder);
    if (!dir.isDir() || !dir.isWritable()) {
        out.error = QObject::tr("Cannot write into '%1' — choose an existing folder you can write to.").arg(folder);
        return out;
    }
    if (items.isEmpty()) {
        out.error = QObject::tr("Nothing to export — accept candidates with A first.");
        return out;
    }
    std::optional<TitleRecord> title;
    try {
        title = store.title(title_id);
    } catch (const std::exception& e) {
        out.error = QString::fromUtf8(e.what());
        return out;
    }
    if (!title) {
        out.error = QObject::tr("Title %1 is no longer in the database — reload the library.").arg(title_id);
        return out;
    }
    const QString media = QString::fromStdString(title->media_path);

    // The full frames, decoded once each, in one pass (the decoder reads forward; no seeking needed).
    std::map<qint64, QImage> frames;
    for (const ArtworkExportItem& item : items) frames[item.frame_index] = {};
    try {
        VideoDecoder::Options options;
        options.analysis_width = 32;  // next() also makes a small analysis frame; keep it cheap
        VideoDecoder decoder(title->media_path, options);
        const int width = decoder.info().width;
        SmallFrame frame;
        auto wanted = frames.begin();
        while (wanted != frames.end() && decoder.next(frame)) {
            while (wanted != frames.end() && wanted->first < frame.index) ++wanted;  // never came: damaged file
            if (wanted == frames.end() || wanted->first != frame.index) continue;
            const RgbImage rgb = decoder.current_rgb(width);
            // copy(): the QImage must own its pixels, `rgb` goes away.
            wanted->second =
                QImage(rgb.rgb.data(), rgb.width, rgb.height, rgb.width * 3, QImage::Format_RGB888).copy();
            ++wanted;
        }
    } catch (const std::exception& e) {
        out.error = QObject::tr("Cannot decode '%1': %2 — relink the title's media file.").arg(media, QString::fromUtf8(e.what()));
        return out;
    }

    const QString title_name = QString::fromStdString(title->name);
    int place = 0;
    for (const ArtworkExportItem& item : items) {
        ++place;
        const QImage& full = frames[item.frame_index];
        if (full.isNull()) {
            out.error = QObject::tr("Frame %1 is not in '%2' (the file ended first) — ingest the title again.")
                            .arg(item.frame_index)
                            .arg(media);
            return out;
        }
        for (const ArtworkCropBox& crop : parseCrops(item.crops_json)) {
            const QString path =
                QDir(folder).filePath(artworkCropFileName(title_name, place, item.frame_index, crop.shape, format));
            const QImage cut = full.copy(cropPixels(crop.box, full.size()));
            if (cut.isNull() || !cut.save(path, format == QLatin1String("png") ? "PNG" : "JPG", 92)) {
                out.error = QObject::tr("Cannot write '%1' — check the folder's permissions and free space.").arg(path);
                return out;
            }
            out.files.append(path);
        }
    }
    return out;
}

}  // namespace frameline::ui
