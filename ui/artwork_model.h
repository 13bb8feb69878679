#pragma once
// The artwork board's cards: one row per candidate in the store's order (a person's rank first, then by score),
// with its frame's stored row (for the thumbnail) and, while an audience segment is previewed, its place and score
// for that segment. Dragging a card asks for a move (moveRequested); the view turns that into rank edits.
#include <QAbstractListModel>
#include <QHash>
#include <QList>

#include "core/store/annotation_records.h"

namespace frameline::ui {

class ThumbnailLoader;

struct ArtworkCard {
    frameline::ArtworkCandidate candidate;
    qint64 frame_id = 0;    // the sampled frame's row (thumbnail); 0: none stored
    double time_s = 0;
    int segment_place = 0;  // 1-based place for the previewed segment; 0: no preview
    double segment_score = 0;
    double segment_affinity = 0;
};

class ArtworkModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        CandidateIdRole = Qt::UserRole + 1,
        ThumbnailRole,  // QImage (null while loading)
        ScoreRole,
        StateRole,      // QString: proposed | accepted | rejected | corrected
        RankRole,       // int, 0: ordered by score
        FrameIndexRole,
        SegmentPlaceRole,
        SegmentScoreRole,
    };

    explicit ArtworkModel(ThumbnailLoader* thumbnails, QObject* parent = nullptr);

    void setCards(QList<ArtworkCard> cards);
    const QList<ArtworkCard>& cards() const { return cards_; }
    const ArtworkCard* card(int row) const { return row >= 0 && row < cards_.size() ? &cards_[row] : nullptr; }
    int rowOf(qint64 candidate_id) const;
    // Updates one candidate from an edit's outcome (state, version, rank) and puts the cards back in the store's
    // order. Returns false when the candidate is not shown.
    bool applyEdit(qint64 candidate_id, frameline::ReviewState state, qint64 version, int rank);
    // A new order of the same candidates with each one's rank and version as the view expects them after its edits.
    void reorder(const QList<qint64>& ids);
    // The store's order: rank > 0 first (by rank), then by score, then by id.
    static void sortLikeStore(QList<ArtworkCard>& cards);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    Qt::DropActions supportedDropActions() const override { return Qt::MoveAction; }
    Qt::DropActions supportedDragActions() const override { return Qt::MoveAction; }
    QStringList mimeTypes() const override;
    QMimeData* mimeData(const QModelIndexList& indexes) const override;
    bool dropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                      const QModelIndex& parent) override;
    // QListView's internal move lands here too: both become a request, never a local change.
    bool moveRows(const QModelIndex& source_parent, int source_row, int count, const QModelIndex& destination_parent,
                  int destination_child) override;

Q_SIGNALS:
    // A card dragged from `from` to before `to` (rowCount(): the end).
    void moveRequested(int from, int to);

private:
    void onThumbnail(qint64 frame_id);

    ThumbnailLoader* thumbnails_ = nullptr;
    QList<ArtworkCard> cards_;
};

QString stateName(frameline::ReviewState state);

}  // namespace frameline::ui
