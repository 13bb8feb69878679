#pragma once
// Artwork board: candidates with score breakdowns and crop previews; pick, reject, reorder, compare, preview per
// audience, export.
//
// Keys (remappable, active while focus is in the board): A accept (pick), R reject, Ctrl+Up / Ctrl+Down move the
// current card one place (dragging a card does the same), C compare the two selected, Esc back from comparing.
// Every pick, reject and move is an undoable StoreCommand; a move ranks the cards 1, 2, 3... in their new order and
// is one undo step.
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <QWidget>

#include "ui/artwork_audience.h"
#include "ui/review_session.h"

class QAction;
class QComboBox;
class QLabel;
class QListView;
class QStackedWidget;

namespace frameline::ui {

class ArtworkDetail;
class ArtworkModel;
class ThumbnailLoader;
struct ArtworkCard;

class ArtworkView : public QWidget {
    Q_OBJECT
public:
    explicit ArtworkView(ReviewSession* session, QWidget* parent = nullptr);
    ~ArtworkView() override;

    // Shows the title (0 clears). Loads on the session's read pool; never blocks the GUI thread.
    void showTitle(qint64 title_id);
    qint64 titleId() const { return title_id_; }

    // The actions (for menus and tests).
    void acceptSelected();
    void rejectSelected();
    void moveCurrent(int delta);           // -1: up (earlier), +1: down
    void moveCard(int from, int to);       // to: the row it goes before (rowCount: the end)
    bool compareSelected();                // false (and a status line) unless exactly two are selected
    void closeCompare();
    bool isComparing() const;
    // Exports the accepted candidates' crops in board order into `folder` as "jpg" or "png" (off the GUI thread);
    // exportFinished follows.
    void exportPicked(const QString& folder, const QString& format = QStringLiteral("jpg"));
    // Segment profiles (JSON text, see personalised_artwork.h): fills the audience list. Returns an error or "".
    QString setSegmentProfiles(const QString& json);
    // Previews the board for one segment ("" = everyone: the picked order). audienceRanked follows.
    void setAudience(const QString& segment_id);

    // For tests and the screenshot mode.
    QListView* grid() const { return grid_; }
    ArtworkModel* model() const { return model_; }
    ArtworkDetail* detail() const { return detail_; }
    ArtworkDetail* compareLeft() const { return compare_left_; }
    ArtworkDetail* compareRight() const { return compare_right_; }
    QString statusText() const;
    QList<qint64> selectedIds() const;

Q_SIGNALS:
    void loaded();
    void exportFinished(const QStringList& files, const QString& error);
    void audienceRanked(const QString& segment_id);

private:
    struct Loaded;
    void reload();
    void applyLoaded(const Loaded& loaded, qint64 title_id);
    void onEdited(const EditReport& report);
    void onSelectionChanged();
    void refreshDetail();
    void setStatus(const QString& text, bool error = false);
    void review(frameline::ReviewAction action);
    // Pushes the edits that give `order` (candidate ids) ranks 1, 2, 3... as one undo step.
    void pushOrder(const QList<qint64>& order, const QString& text);
    void rememberPlace();
    void restorePlace();
    void bindActions();
    void chooseSegmentFile();
    void chooseExportFolder();
    void requestAudienceRanking();
    void applyAudience(const QHash<qint64, AudiencePlace>& places);
    const ArtworkCard* currentCard() const;

    ReviewSession* session_ = nullptr;
    qint64 title_id_ = 0;
    ThumbnailLoader* thumbnails_ = nullptr;
    ArtworkModel* model_ = nullptr;
    QListView* grid_ = nullptr;
    QStackedWidget* pages_ = nullptr;
    ArtworkDetail* detail_ = nullptr;
    ArtworkDetail* compare_left_ = nullptr;
    ArtworkDetail* compare_right_ = nullptr;
    QComboBox* audience_ = nullptr;
    QComboBox* export_format_ = nullptr;
    QLabel* status_ = nullptr;
    QAction* accept_ = nullptr;
    QAction* reject_ = nullptr;
    QAction* move_up_ = nullptr;
    QAction* move_down_ = nullptr;
    QAction* compare_ = nullptr;
    QAction* close_compare_ = nullptr;
    QAction* export_ = nullptr;
    QAction* segments_ = nullptr;

    QString profiles_json_;
    QString audience_id_;  // "" : no preview
    quint64 load_generation_ = 0;  // a newer load makes an older one's result stale
    quint64 edit_generation_ = 0;  // an edit pushed during a load makes it read again (it may predate the edit)
    quint64 audience_generation_ = 0;
    // The reviewer's place over reloads.
    QList<qint64> kept_selection_;
    qint64 kept_current_ = 0;
    int kept_scroll_ = 0;
};

}  // namespace frameline::ui
