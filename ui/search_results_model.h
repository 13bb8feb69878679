#pragma once
// Scene search results for the grid: one row per shot found, with the frame shown for it (thumbnail), title, shot,
// time, score and why it matched.
#include <QAbstractListModel>
#include <QList>

#include "core/search/scene_search.h"

namespace frameline::ui {

class ThumbnailLoader;

class SearchResultsModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        ThumbnailRole = Qt::UserRole + 1,  // QImage (null while loading)
        TitleRole,                         // QString
        ShotRole,                          // int
        FrameIndexRole,                    // qint64
        TimeRole,                          // double, seconds
        ScoreRole,                         // double
        WhyRole,                           // QString
        TitleIdRole,                       // qint64
    };

    explicit SearchResultsModel(ThumbnailLoader* thumbnails, QObject* parent = nullptr);

    void setHits(std::vector<frameline::SceneHit> hits);
    const std::vector<frameline::SceneHit>& hits() const { return hits_; }
    const frameline::SceneHit* hit(int row) const
    {
        return row >= 0 && row < int(hits_.size()) ? &hits_[size_t(row)] : nullptr;
    }

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;

private:
    ThumbnailLoader* thumbnails_ = nullptr;
    std::vector<frameline::SceneHit> hits_;
};

}  // namespace frameline::ui
