// Characters driven as a reviewer does it: keys, clicks, the "Move faces to…" menu and a drop on the real
// CharactersView (offscreen); the database is read back afterwards: names, members, states, events.
#include <QAction>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMimeData>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

#include "core/store/store.h"
#include "tests/support/review_fixture.h"
#include "ui/character_list_model.h"
#include "ui/characters_view.h"
#include "ui/face_gallery_model.h"
#include "ui/review_session.h"

using namespace frameline;
using namespace frameline::ui;

class TestCharactersView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void nameOneWithF2();
    void nameTwoAtOnceIsOneUndo();
    void mergeAndUndo();
    void splitAndUndo();
    void moveTwoFacesWithTheMenuAndUndo();
    void moveFacesByDropAndUndo();
    void conflictKeepsTheirName();
    void acceptAndRejectWithKeys();
    void picture();

private:
    void open();
    void press(int key, Qt::KeyboardModifiers modifiers = Qt::NoModifier);
    void clickFace(qint64 face_id, Qt::KeyboardModifiers modifiers = Qt::NoModifier);
    Character stored(int64_t id);
    std::vector<Character> storedAll() { return fx_.store->characters(fx_.title_id); }
    int64_t a() const { return fx_.character_ids[0]; }  // faces 0-3
    int64_t b() const { return fx_.character_ids[1]; }  // faces 4-5

    QTemporaryDir* dir_ = nullptr;
    test::ReviewFixture fx_;
    ReviewSession* session_ = nullptr;
    CharactersView* view_ = nullptr;
};

void TestCharactersView::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("frameline-tests"));
    QSettings().clear();
}

void TestCharactersView::init()
{
    dir_ = new QTemporaryDir;
    QVERIFY(dir_->isValid());
    const QString made = test::make_review_fixture(dir_->path(), &fx_);
    QVERIFY2(made.isEmpty(), qPrintable(made));
    session_ = new ReviewSession(open_store(fx_.db_path.toStdString()));
    session_->setReviewer(QStringLiteral("ana"));
    view_ = new CharactersView(session_);
    QAction* undo = session_->undoStack()->createUndoAction(view_);  // the window's Ctrl+Z
    undo->setShortcut(QKeySequence::Undo);
    view_->addAction(undo);
    view_->resize(1100, 620);
}

void TestCharactersView::cleanup()
{
    delete view_;
    view_ = nullptr;
    delete session_;
    session_ = nullptr;
    fx_ = {};
    delete dir_;
    dir_ = nullptr;
}

void TestCharactersView::open()
{
    view_->show();
    QApplication::setActiveWindow(view_);
    QVERIFY(QTest::qWaitForWindowActive(view_));
    view_->showTitle(fx_.title_id);
    QTRY_COMPARE(view_->characterModel()->rowCount(), 2);
    QTRY_VERIFY(!view_->isLoading());
    view_->characterList()->setFocus();
    QTRY_VERIFY(view_->characterList()->hasFocus());
}

void TestCharactersView::press(int key, Qt::KeyboardModifiers modifiers)
{
    QTest::keyClick(QApplication::focusWidget(), static_cast<Qt::Key>(key), modifiers);
}

void TestCharactersView::clickFace(qint64 face_id, Qt::KeyboardModifiers modifiers)
{
    QListView* gallery = view_->faceGallery();
    const QModelIndex i = view_->faceModel()->index(view_->faceModel()->rowOf(face_id));
    QVERIFY(i.isValid());
    QTest::mouseClick(gallery->viewport(), Qt::LeftButton, modifiers, gallery->visualRect(i).center());
}

Character TestCharactersView::stored(int64_t id)
{
    for (const Character& c : storedAll())
        if (c.id == id) return c;
    return {};
}

void TestCharactersView::nameOneWithF2()
{
    open();
    QCOMPARE(view_->selectedCharacterIds(), QList<qint64>{a()});
    QCOMPARE(view_->characterModel()->index(0).data().toString().section('\n', 0, 0),
             QStringLiteral("Unnamed %1").arg(a()));
    press(Qt::Key_F2);
    auto* edit = view_->findChild<QLineEdit*>(QStringLiteral("nameEdit"));
    QTRY_VERIFY(edit->isVisible() && edit->hasFocus());
    QTest::keyClicks(edit, QStringLiteral("Ana"));
    press(Qt::Key_Return);
    // The bar stays open on the next unnamed character: names go in one after another.
    QCOMPARE(view_->selectedCharacterIds(), QList<qint64>{b()});
    QVERIFY(edit->isVisible());
    QCOMPARE(edit->text(), QString());
    press(Qt::Key_Return);  // empty: refused
    QVERIFY2(view_->message().contains(QStringLiteral("cannot be empty")), qPrintable(view_->message()));
    press(Qt::Key_Escape);
    QVERIFY(!edit->isVisible());
    QVERIFY(session_->waitForIdle());
    QCOMPARE(stored(a()).name, std::string("Ana"));
    QCOMPARE(stored(a()).state, ReviewState::Corrected);
    QVERIFY(stored(b()).name.empty());
    QTRY_COMPARE(view_->characterModel()->index(view_->characterModel()->rowOf(a())).data().toString().section('\n', 0, 0),
                 QStringLiteral("Ana"));

    press(Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(session_->waitForIdle());
    QVERIFY(stored(a()).name.empty());
    QCOMPARE(stored(a()).state, ReviewState::Proposed);
}

void TestCharactersView::nameTwoAtOnceIsOneUndo()
{
    open();
    QListView* list = view_->characterList();
    QTest::mouseClick(list->viewport(), Qt::LeftButton, Qt::NoModifier,
                      list->visualRect(view_->characterModel()->index(0)).center());
    QTest::mouseClick(list->viewport(), Qt::LeftButton, Qt::ControlModifier,
                      list->visualRect(view_->characterModel()->index(1)).center());
    QCOMPARE(view_->selectedCharacterIds(), (QList<qint64>{a(), b()}));
    press(Qt::Key_F2);
    auto* edit = view_->findChild<QLineEdit*>(QStringLiteral("nameEdit"));
    QTRY_VERIFY(edit->hasFocus());
    QTest::keyClicks(edit, QStringLiteral("Twins"));
    press(Qt::Key_Return);
    QVERIFY(!edit->isVisible());
    QVERIFY(session_->waitForIdle());
    QCOMPARE(stored(a()).name, std::string("Twins"));
    QCOMPARE(stored(b()).name, std::string("Twins"));
    QCOMPARE(session_->undoStack()->count(), 1);

    list->setFocus();
    press(Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(session_->waitForIdle());
    QVERIFY(stored(a()).name.empty());
    QVERIFY(stored(b()).name.empty());
}

void TestCharactersView::mergeAndUndo()
{
    open();
    view_->selectCharacters({a(), b()});
    press(Qt::Key_M);
    QVERIFY(session_->waitForIdle());
    QCOMPARE(stored(a()).face_ids.size(), size_t(6));
    QCOMPARE(stored(b()).state, ReviewState::Rejected);
    QVERIFY(stored(b()).face_ids.empty());
    QTRY_COMPARE(view_->characterModel()->rowCount(), 1);  // merged away: gone from the list
    QTRY_COMPARE(view_->faceModel()->rowCount(), 6);       // the gallery shows all of them

    press(Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(session_->waitForIdle());
    QCOMPARE(stored(a()).face_ids.size(), size_t(4));
    QCOMPARE(stored(b()).face_ids,
             (std::vector<int64_t>{fx_.face_ids[4], fx_.face_ids[5]}));
    QCOMPARE(stored(b()).state, ReviewState::Proposed);
    QTRY_COMPARE(view_->characterModel()->rowCount(), 2);

    // One character alone cannot merge: a message, nothing written.
    view_->selectCharacters({a()});
    press(Qt::Key_M);
    QVERIFY(session_->waitForIdle());
    QVERIFY2(view_->message().contains(QStringLiteral("two or more")), qPrintable(view_->message()));
    QCOMPARE(session_->undoStack()->count(), 1);
}

void TestCharactersView::splitAndUndo()
{
    open();
    QCOMPARE(view_->faceModel()->rowCount(), 4);
    clickFace(fx_.face_ids[1]);
    clickFace(fx_.face_ids[2], Qt::ControlModifier);
    QCOMPARE(view_->selectedFaceIds(), (QList<qint64>{fx_.face_ids[1], fx_.face_ids[2]}));
    press(Qt::Key_S);
    QVERIFY(session_->waitForIdle());
    QCOMPARE(stored(a()).face_ids, (std::vector<int64_t>{fx_.face_ids[0], fx_.face_ids[3]}));
    const std::vector<Character> all = storedAll();
    QCOMPARE(all.size(), size_t(3));
    const Character split = all.back();
    QCOMPARE(split.face_ids, (std::vector<int64_t>{fx_.face_ids[1], fx_.face_ids[2]}));
    QCOMPARE(split.source, std::string("human"));
    QTRY_COMPARE(view_->characterModel()->rowCount(), 3);
    QTRY_COMPARE(view_->faceModel()->rowCount(), 2);

    press(Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(session_->waitForIdle());
    QCOMPARE(stored(a()).face_ids.size(), size_t(4));
    QCOMPARE(stored(split.id).state, ReviewState::Rejected);
    QTRY_COMPARE(view_->characterModel()->rowCount(), 2);

    // Every face of it: refused (that is a rename, not a split).
    view_->selectFaces({fx_.face_ids[0], fx_.face_ids[1], fx_.face_ids[2], fx_.face_ids[3]});
    QTRY_COMPARE(view_->selectedFaceIds().size(), 4);
    press(Qt::Key_S);
    QVERIFY2(view_->message().contains(QStringLiteral("all of its faces")), qPrintable(view_->message()));
}

void TestCharactersView::moveTwoFacesWithTheMenuAndUndo()
{
    open();
    clickFace(fx_.face_ids[1]);
    clickFace(fx_.face_ids[3], Qt::ControlModifier);
    QMenu* menu = view_->moveMenu();
    Q_EMIT menu->aboutToShow();  // as when the menu opens
    QAction* to_b = nullptr;
    for (QAction* action : menu->actions())
        if (action->data().toLongLong() == b()) to_b = action;
    QVERIFY(to_b);
    QVERIFY(to_b->isEnabled());
    to_b->trigger();
    QVERIFY(session_->waitForIdle());
    QCOMPARE(stored(a()).face_ids, (std::vector<int64_t>{fx_.face_ids[0], fx_.face_ids[2]}));
    QCOMPARE(stored(b()).face_ids,
             (std::vector<int64_t>{fx_.face_ids[1], fx_.face_ids[3], fx_.face_ids[4], fx_.face_ids[5]}));
    QTRY_COMPARE(view_->faceModel()->rowCount(), 2);
    const auto events = fx_.store->review_events(fx_.title_id);
    QCOMPARE(events.size(), size_t(1));
    QCOMPARE(events[0].entity_id, a());

    press(Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(session_->waitForIdle());
    QCOMPARE(stored(a()).face_ids.size(), size_t(4));
    QCOMPARE(stored(b()).face_ids.size(), size_t(2));
    QTRY_COMPARE(view_->faceModel()->rowCount(), 4);
    // Redo moves them again (b's version moved on with the first move: no false conflict).
    session_->undoStack()->redo();
    QVERIFY(session_->waitForIdle());
    QCOMPARE(stored(b()).face_ids.size(), size_t(4));
}

void TestCharactersView::moveFacesByDropAndUndo()
{
    open();
    clickFace(fx_.face_ids[0]);
    clickFace(fx_.face_ids[2], Qt::ControlModifier);
    // What a drag from the gallery carries, dropped on character b in the list (QDrag::exec cannot run offscreen).
    std::unique_ptr<QMimeData> dragged(
        view_->faceModel()->mimeData(view_->faceGallery()->selectionModel()->selectedIndexes()));
    const QModelIndex target = view_->characterModel()->index(view_->characterModel()->rowOf(b()));
    QVERIFY(view_->characterModel()->canDropMimeData(dragged.get(), Qt::MoveAction, -1, -1, target));
    QVERIFY(!view_->characterModel()->canDropMimeData(
        dragged.get(), Qt::MoveAction, -1, -1, view_->characterModel()->index(view_->characterModel()->rowOf(a()))));
    view_->characterModel()->dropMimeData(dragged.get(), Qt::MoveAction, -1, -1, target);
    QVERIFY(session_->waitForIdle());
    QCOMPARE(stored(b()).face_ids.size(), size_t(4));
    QCOMPARE(stored(a()).face_ids, (std::vector<int64_t>{fx_.face_ids[1], fx_.face_ids[3]}));
    press(Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(session_->waitForIdle());
    QCOMPARE(stored(b()).face_ids.size(), size_t(2));
    QCOMPARE(stored(a()).face_ids.size(), size_t(4));
}

void TestCharactersView::conflictKeepsTheirName()
{
    open();
    QSignalSpy conflicts(session_, &ReviewSession::conflict);
    auto other = open_store(fx_.db_path.toStdString());
    Review theirs;
    theirs.entity = "character";
    theirs.id = a();
    theirs.expected_version = stored(a()).version;
    theirs.reviewer = "ben";
    theirs.action = ReviewAction::Correct;
    theirs.label = "Beatriz";
    QVERIFY(other->review(theirs).applied);
    press(Qt::Key_F2);
    auto* edit = view_->findChild<QLineEdit*>(QStringLiteral("nameEdit"));
    QTRY_VERIFY(edit->hasFocus());
    QTest::keyClicks(edit, QStringLiteral("Ana"));
    press(Qt::Key_Return);
    QVERIFY(session_->waitForIdle());
    QCOMPARE(conflicts.count(), 1);
    QCOMPARE(stored(a()).name, std::string("Beatriz"));
    QVERIFY2(view_->message().contains(QStringLiteral("Someone else")), qPrintable(view_->message()));
    QTRY_COMPARE(view_->characterModel()->index(view_->characterModel()->rowOf(a())).data().toString().section('\n', 0, 0),
                 QStringLiteral("Beatriz"));
}

void TestCharactersView::acceptAndRejectWithKeys()
{
    open();
    press(Qt::Key_A);
    QVERIFY(session_->waitForIdle());
    QCOMPARE(stored(a()).state, ReviewState::Accepted);
    view_->selectCharacters({b()});
    view_->faceGallery()->setFocus();  // the keys work from the gallery too
    press(Qt::Key_R);
    QVERIFY(session_->waitForIdle());
    QCOMPARE(stored(b()).state, ReviewState::Rejected);
    QTRY_COMPARE(view_->characterModel()->index(view_->characterModel()->rowOf(b())).data(CharacterListModel::StateRole).toInt(),
                 static_cast<int>(ReviewState::Rejected));
}

void TestCharactersView::picture()
{
    open();
    clickFace(fx_.face_ids[1]);
    QTest::qWait(700);  // thumbnails decode off the GUI thread
    const QImage image = view_->grab().toImage();
    QVERIFY(!image.isNull());
    image.save(QStringLiteral("/tmp/h2-characters.png"));
    // The best face icon is a crop of the real frame, not the grey placeholder.
    const QIcon icon = view_->characterModel()->index(0).data(Qt::DecorationRole).value<QIcon>();
    const QImage crop = icon.pixmap(CharacterListModel::kIconSize).toImage();
    QVERIFY(crop.pixelColor(crop.width() / 2, crop.height() / 2) != QColor(70, 70, 70));
}

QTEST_MAIN(TestCharactersView)
#include "tst_characters_view.moc"
