#pragma once
// Characters: face clusters as galleries; name, merge, split, move faces, name many at once.
//
// Naming: F2 (or Enter in the list) opens a name bar under the list. With several characters selected, the one name
// goes to all of them as one undo command. With one selected, Enter names it and steps to the next unnamed
// character with the bar still open, so a reviewer types names one after another without leaving the keyboard.
#include <QList>
#include <QWidget>
#include <memory>

class QAction;
class QLabel;
class QLineEdit;
class QListView;
class QMenu;

namespace frameline::ui {

class CharacterListModel;
class FaceGalleryModel;
class ReviewSession;
class ThumbnailLoader;
struct CharacterPage;
struct EditReport;

class CharactersView : public QWidget {
    Q_OBJECT
public:
    explicit CharactersView(ReviewSession* session, QWidget* parent = nullptr);
    ~CharactersView() override;

    // Shows the title (0 clears). Loads on the session's read pool; never blocks the GUI thread.
    void showTitle(qint64 title_id);
    qint64 titleId() const { return title_id_; }

    // For the window and the tests.
    QListView* characterList() const { return list_; }
    QListView* faceGallery() const { return gallery_; }
    CharacterListModel* characterModel() const { return characters_; }
    FaceGalleryModel* faceModel() const { return faces_; }
    QMenu* moveMenu() const { return move_menu_; }
    bool isLoading() const;  // the characters or a page of the gallery on its way
    QString message() const;
    QList<qint64> selectedCharacterIds() const;  // in list order
    QList<qint64> selectedFaceIds() const;
    void selectCharacters(const QList<qint64>& ids);  // the first becomes current
    void selectFaces(const QList<qint64>& face_ids);
    void restoreFaces();

public Q_SLOTS:
    void startNaming();
    void mergeSelected();
    void splitSelectedFaces();
    void moveSelectedFacesTo(qint64 into_character_id);
    void acceptSelected();
    void rejectSelected();
    void reload();  // re-reads the title, keeping the selection and the scroll position

Q_SIGNALS:
    void loaded();

private:
    // Reads the title on the session's read pool; keep_place: a reload that keeps the selection and scroll.
    void load(bool keep_place);
    void buildActions();
    void applyPage(const CharacterPage& page, bool keep_place);
    void showFacesOfCurrent();
    void applyName();
    void moveFaces(qint64 from, qint64 into, const QList<qint64>& face_ids);
    void review(bool accept);
    void fillMoveMenu();
    void onEdited(const EditReport& report);
    void onConflict(const EditReport& report);
    void updateHeader();
    void setMessage(const QString& text);
    qint64 currentCharacterId() const;
    int64_t versionOf(qint64 character_id) const;

    ReviewSession* session_ = nullptr;
    qint64 title_id_ = 0;
    int loading_ = 0;
    quint64 generation_ = 0;
    std::unique_ptr<CharacterPage> page_;

    ThumbnailLoader* thumbnails_ = nullptr;
    CharacterListModel* characters_ = nullptr;
    FaceGalleryModel* faces_ = nullptr;
    // Faces selected (and the gallery's scroll) before a reload, selected again once their pages have arrived.
    QList<qint64> kept_faces_;
    int kept_gallery_scroll_ = -1;
    QListView* list_ = nullptr;
    QListView* gallery_ = nullptr;
    QLabel* header_ = nullptr;
    QWidget* name_bar_ = nullptr;
    QLabel* name_prompt_ = nullptr;
    QLineEdit* name_edit_ = nullptr;
    QList<qint64> naming_;  // the characters the name bar names
    QMenu* move_menu_ = nullptr;
    QLabel* message_ = nullptr;
    QAction* name_ = nullptr;
    QAction* merge_ = nullptr;
    QAction* split_ = nullptr;
    QAction* accept_ = nullptr;
    QAction* reject_ = nullptr;
};

}  // namespace frameline::ui
