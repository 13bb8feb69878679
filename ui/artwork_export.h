#pragma once
// Exports the picked artwork (accepted candidates, in the board's order) as image files: every crop of every
// candidate, cut from the full frame decoded again from the title's media (thumbnails are only 320 px wide).
// Runs on a worker thread (it decodes video); the GUI gets the result.
#include <QList>
#include <QString>
#include <QStringList>

namespace frameline {
class Store;
}

namespace frameline::ui {

struct ArtworkExportItem {
    qint64 candidate_id = 0;
    qint64 frame_index = 0;
    QString crops_json;  // {"16:9":[x,y,w,h],...} in frame fractions
};

struct ArtworkExportResult {
    QStringList files;  // written, in order
    QString error;      // one line naming the file or folder and what to do; empty on success
};

// Files are named "<title>-<place>-f<frame>-<shape>.<ext>" (place 01, 02... in the given order; "16:9" -> "16x9"),
// `format` "jpg" or "png". Stops at the first file that cannot be written. Never throws.
ArtworkExportResult exportArtworkCrops(Store& store, qint64 title_id, const QList<ArtworkExportItem>& items,
                                       const QString& folder, const QString& format);

// The file name one crop gets (exposed for tests and for telling people where to look).
QString artworkCropFileName(const QString& title_name, int place, qint64 frame_index, const QString& shape,
                            const QString& format);

}  // namespace frameline::ui
