// The artwork board driven with the keyboard and mouse offscreen, the database checked afterwards: pick two and
// reject one, reorder (keys and drop) and undo as one step each, compare two, preview per audience, export the
// picked crops (and a folder that cannot be written), a conflicting edit from another connection.
// The cases run in order on one fixture: each starts from what the previous one left (noted where it matters).
#include <QDir>
#include <QImage>
#include <QListView>
#include <QMimeData>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>
#include <nlohmann/json.hpp>

#include "core/store/store.h"
#include "tests/support/review_fixture.h"
#include "ui/artwork_breakdown.h"
#include "ui/artwork_crops.h"
#include "ui/artwork_detail.h"
#include "ui/artwork_export.h"
#include "ui/artwork_model.h"
#include "ui/artwork_view.h"
#include "ui/review_session.h"

using namespace frameline;
using namespace frameline::ui;

class TestArtworkView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void showsCandidatesWithBreakdownAndCrops();
    void pickTwoRejectOneWithKeyboard();
    void reorderWithKeysIsOneUndoStep();
    void dropReordersToo();
    void compareShowsBoth();
    void audiencePreview();
    void exportWritesPickedCrops();
    void exportToBadFolderSaysWhichFile();
    void conflictFromAnotherConnection();
    void screenshot();
    void breakdownAndCropsParsing();

private:
    ArtworkCandidate stored(int64_t id);
    std::vector<int64_t> storedOrder();
    QList<qint64> boardOrder();
    QRect cardRect(int row);
    void clickCard(int row, Qt::KeyboardModifiers modifiers = {});
    bool waitLoaded();

    QTemporaryDir dir_;
    test::ReviewFixture fx_;
    std::unique_ptr<ReviewSession> session_;
    std::unique_ptr<ArtworkView> view_;
};

void TestArtworkView::initTestCase()
{
    QVERIFY(dir_.isValid());
    const QString made = test::make_review_fixture(dir_.path(), &fx_);
    QVERIFY2(made.isEmpty(), qPrintable(made));
    QCoreApplication::setOrganizationName(QStringLiteral("frameline-tests"));
    QSettings().clear();
    session_ = std::make_unique<ReviewSession>(open_store(fx_.db_path.toStdString()));
    session_->setReviewer(QStringLiteral("ana"));
    view_ = std::make_unique<ArtworkView>(session_.get());
    view_->resize(1280, 760);
    view_->show();
    QVERIFY(QTest::qWaitForWindowExposed(view_.get()));
    view_->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(view_.get()));
    QSignalSpy loaded(view_.get(), &ArtworkView::loaded);
    view_->showTitle(fx_.title_id);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(view_->model()->rowCount(), 3);
}

void TestArtworkView::cleanupTestCase()
{
    view_.reset();
    if (session_) session_->waitForIdle();
    session_.reset();
}

ArtworkCandidate TestArtworkView::stored(int64_t id)
{
    for (const ArtworkCandidate& a : fx_.store->artwork_candidates(fx_.title_id))
        if (a.id == id) return a;
    return {};
}

std::vector<int64_t> TestArtworkView::storedOrder()
{
    std::vector<int64_t> ids;
    for (const ArtworkCandidate& a : fx_.store->artwork_candidates(fx_.title_id)) ids.push_back(a.id);
    return ids;
}

QList<qint64> TestArtworkView::boardOrder()
{
    QList<qint64> ids;
    for (const ArtworkCard& c : view_->model()->cards()) ids.append(c.candidate.id);
    return ids;
}

QRect TestArtworkView::cardRect(int row)
{
    return view_->grid()->visualRect(view_->model()->index(row));
}

void TestArtworkView::clickCard(int row, Qt::KeyboardModifiers modifiers)
{
    QTest::mouseClick(view_->grid()->viewport(), Qt::LeftButton, modifiers, cardRect(row).center());
}

bool TestArtworkView::waitLoaded()
{
    QSignalSpy loaded(view_.get(), &ArtworkView::loaded);
    return loaded.wait(10000);
}

void TestArtworkView::showsCandidatesWithBreakdownAndCrops()
{
    // The store's order (by score with no ranks yet), laid out as cards that do not overlap.
    QCOMPARE(boardOrder(), (QList<qint64>{fx_.artwork_ids[0], fx_.artwork_ids[1], fx_.artwork_ids[2]}));
    QVERIFY(!cardRect(0).intersects(cardRect(1)));
    QVERIFY(view_->grid()->viewport()->rect().contains(cardRect(2)));
    clickCard(1);
    QCOMPARE(view_->detail()->candidateId(), fx_.artwork_ids[1]);
    QVERIFY2(view_->detail()->caption().contains(QStringLiteral("score 0.64")), qPrintable(view_->detail()->caption()));
    // The fixture's breakdown has four terms, its crops three shapes.
    QCOMPARE(view_->detail()->breakdownBars()->breakdown().terms.size(), 4);
    QCOMPARE(view_->detail()->cropStrip()->crops().size(), 3);
    QCOMPARE(view_->detail()->cropStrip()->crops().first().shape, QStringLiteral("16:9"));
}

void TestArtworkView::pickTwoRejectOneWithKeyboard()
{
    QListView* grid = view_->grid();
    clickCard(0);
    QCOMPARE(grid->currentIndex().row(), 0);
    QTest::keyClick(grid, Qt::Key_A);
    QTest::keyClick(grid, Qt::Key_Right);
    QTest::keyClick(grid, Qt::Key_A);
    QTest::keyClick(grid, Qt::Key_Right);
    QTest::keyClick(grid, Qt::Key_R);
    QVERIFY(session_->waitForIdle());
    QCOMPARE(stored(fx_.artwork_ids[0]).state, ReviewState::Accepted);
    QCOMPARE(stored(fx_.artwork_ids[1]).state, ReviewState::Accepted);
    QCOMPARE(stored(fx_.artwork_ids[2]).state, ReviewState::Rejected);
    int events = 0;
    for (const ReviewEvent& e : fx_.store->review_events(fx_.title_id))
        if (e.entity == "artwork") {
            ++events;
            QCOMPARE(QString::fromStdString(e.reviewer), QStringLiteral("ana"));
        }
    QCOMPARE(events, 3);
    // The board shows what is stored.
    QCOMPARE(view_->model()->data(view_->model()->index(2), ArtworkModel::StateRole).toString(),
             QStringLiteral("rejected"));
    // A again on a picked card is no new edit.
    clickCard(0);
    const int undo_steps = session_->undoStack()->index();
    QTest::keyClick(grid, Qt::Key_A);
    QCOMPARE(session_->undoStack()->index(), undo_steps);
}

void TestArtworkView::reorderWithKeysIsOneUndoStep()
{
    // From: picked ids[0], ids[1]; rejected ids[2]; no ranks.
    QListView* grid = view_->grid();
    clickCard(1);
    const int steps = session_->undoStack()->index();
    QTest::keyClick(grid, Qt::Key_Up, Qt::ControlModifier);
    QVERIFY(session_->waitForIdle());
    QCOMPARE(session_->undoStack()->index(), steps + 1);  // one step, however many ranks it set
    QCOMPARE(stored(fx_.artwork_ids[1]).rank, 1);
    QCOMPARE(stored(fx_.artwork_ids[0]).rank, 2);
    QCOMPARE(stored(fx_.artwork_ids[2]).rank, 3);
    QCOMPARE(stored(fx_.artwork_ids[1]).state, ReviewState::Accepted);  // ranking keeps the pick
    const QList<qint64> moved{fx_.artwork_ids[1], fx_.artwork_ids[0], fx_.artwork_ids[2]};
    QCOMPARE(boardOrder(), moved);
    QCOMPARE(storedOrder(), (std::vector<int64_t>(moved.begin(), moved.end())));
    QCOMPARE(grid->currentIndex().row(), 0);  // the moved card stays current
    // The top card cannot go further up: nothing happens.
    QTest::keyClick(grid, Qt::Key_Up, Qt::ControlModifier);
    QCOMPARE(session_->undoStack()->index(), steps + 1);

    session_->undoStack()->undo();
    QVERIFY(session_->waitForIdle());
    for (int64_t id : fx_.artwork_ids) QCOMPARE(stored(id).rank, 0);
    QCOMPARE(boardOrder(), (QList<qint64>{fx_.artwork_ids[0], fx_.artwork_ids[1], fx_.artwork_ids[2]}));
    QCOMPARE(stored(fx_.artwork_ids[1]).state, ReviewState::Accepted);

    session_->undoStack()->redo();
    QVERIFY(session_->waitForIdle());
    QCOMPARE(stored(fx_.artwork_ids[1]).rank, 1);
    QCOMPARE(boardOrder(), moved);
    session_->undoStack()->undo();
    QVERIFY(session_->waitForIdle());
    QCOMPARE(stored(fx_.artwork_ids[1]).rank, 0);
}

void TestArtworkView::dropReordersToo()
{
    // What a drag ends in: the rejected last card dropped before the first one.
    ArtworkModel* model = view_->model();
    std::unique_ptr<QMimeData> data(model->mimeData({model->index(2)}));
    QVERIFY(data);
    const int steps = session_->undoStack()->index();
    model->dropMimeData(data.get(), Qt::MoveAction, -1, -1, model->index(0));
    QTRY_COMPARE(session_->undoStack()->index(), steps + 1);
    QVERIFY(session_->waitForIdle());
    QCOMPARE(stored(fx_.artwork_ids[2]).rank, 1);
    QCOMPARE(stored(fx_.artwork_ids[0]).rank, 2);
    QCOMPARE(stored(fx_.artwork_ids[1]).rank, 3);
    session_->undoStack()->undo();
    QVERIFY(session_->waitForIdle());
    for (int64_t id : fx_.artwork_ids) QCOMPARE(stored(id).rank, 0);
    QCOMPARE(boardOrder(), (QList<qint64>{fx_.artwork_ids[0], fx_.artwork_ids[1], fx_.artwork_ids[2]}));

    // QListView's own internal move (another drag path) asks the same way: ids[1] to the end.
    QVERIFY(model->moveRows({}, 1, 1, {}, 3));
    QTRY_COMPARE(session_->undoStack()->index(), steps + 1);
    QVERIFY(session_->waitForIdle());
    QCOMPARE(storedOrder(), (std::vector<int64_t>{fx_.artwork_ids[0], fx_.artwork_ids[2], fx_.artwork_ids[1]}));
    session_->undoStack()->undo();
    QVERIFY(session_->waitForIdle());
    for (int64_t id : fx_.artwork_ids) QCOMPARE(stored(id).rank, 0);
}

void TestArtworkView::compareShowsBoth()
{
    QListView* grid = view_->grid();
    clickCard(0);
    QTest::keyClick(grid, Qt::Key_C);  // one selected: not enough
    QVERIFY(!view_->isComparing());
    QVERIFY(view_->statusText().contains(QStringLiteral("two")));
    clickCard(2, Qt::ControlModifier);
    QCOMPARE(view_->selectedIds().size(), 2);
    QTest::keyClick(grid, Qt::Key_C);
    QVERIFY(view_->isComparing());
    QCOMPARE(view_->compareLeft()->candidateId(), fx_.artwork_ids[0]);
    QCOMPARE(view_->compareRight()->candidateId(), fx_.artwork_ids[2]);
    QVERIFY(view_->compareLeft()->isVisible() && view_->compareRight()->isVisible());
    QVERIFY(view_->compareLeft()->caption().contains(QStringLiteral("score 0.82")));
    QVERIFY(view_->compareRight()->caption().contains(QStringLiteral("score 0.51")));
    QCOMPARE(view_->compareRight()->breakdownBars()->breakdown().terms.size(), 4);
    // Side by side, not overlapping.
    const QRect l(view_->compareLeft()->mapTo(view_.get(), QPoint(0, 0)), view_->compareLeft()->size());
    const QRect r(view_->compareRight()->mapTo(view_.get(), QPoint(0, 0)), view_->compareRight()->size());
    QVERIFY(!l.intersects(r));
    QVERIFY(l.right() < r.left());
    QTRY_VERIFY(!qvariant_cast<QImage>(view_->model()->data(view_->model()->index(2), ArtworkModel::ThumbnailRole)).isNull());
    view_->grab().save(QStringLiteral("/tmp/h3-artwork-compare.png"));
    QTest::keyClick(grid, Qt::Key_Escape);
    QVERIFY(!view_->isComparing());
}

void TestArtworkView::audiencePreview()
{
    QCOMPARE(view_->setSegmentProfiles(QStringLiteral("{\"segments\": [")).isEmpty(), false);  // not JSON: an error
    const QString profiles = QStringLiteral(R"({"segments": [
        {"id": "car-fans", "name": "Car fans", "tags": {"object:car": 1.0}},
        {"id": "happy", "name": "Feel-good", "tags": {"expression:happy": 1.0}}]})");
    QVERIFY(view_->setSegmentProfiles(profiles).isEmpty());
    QSignalSpy ranked(view_.get(), &ArtworkView::audienceRanked);
    view_->setAudience(QStringLiteral("happy"));
    QVERIFY(ranked.wait(10000));
    // "happy" is tagged on shot 2, where ids[1]'s frame is: first for this audience. ids[2] is rejected: unranked.
    const ArtworkModel* model = view_->model();
    QCOMPARE(model->card(0)->candidate.id, fx_.artwork_ids[1]);
    QCOMPARE(model->card(0)->segment_place, 1);
    QVERIFY(model->card(0)->segment_affinity > 0);
    QCOMPARE(model->card(1)->candidate.id, fx_.artwork_ids[0]);
    QCOMPARE(model->card(2)->segment_place, 0);
    // Reordering is the team's order, not an audience's: refused while previewing, nothing stored.
    clickCard(1);
    const int steps = session_->undoStack()->index();
    QTest::keyClick(view_->grid(), Qt::Key_Up, Qt::ControlModifier);
    QCOMPARE(session_->undoStack()->index(), steps);
    QVERIFY(view_->statusText().contains(QStringLiteral("Everyone")));
    QTRY_VERIFY(!qvariant_cast<QImage>(view_->model()->data(view_->model()->index(0), ArtworkModel::ThumbnailRole)).isNull());
    view_->grab().save(QStringLiteral("/tmp/h3-artwork-audience.png"));
    view_->setAudience(QString());
    QCOMPARE(boardOrder(), (QList<qint64>{fx_.artwork_ids[0], fx_.artwork_ids[1], fx_.artwork_ids[2]}));
    QCOMPARE(model->card(0)->segment_place, 0);
}

void TestArtworkView::exportWritesPickedCrops()
{
    // Picked: ids[0] (frame of shot 0) then ids[1] (shot 2); three crops each, cut from the full 320x240 frame.
    QTemporaryDir out;
    QSignalSpy finished(view_.get(), &ArtworkView::exportFinished);
    view_->exportPicked(out.path(), QStringLiteral("jpg"));
    QVERIFY(finished.wait(20000));
    QVERIFY2(finished.first().at(1).toString().isEmpty(), qPrintable(finished.first().at(1).toString()));
    const QStringList files = finished.first().at(0).toStringList();
    QCOMPARE(files.size(), 6);
    const ArtworkCandidate first = stored(fx_.artwork_ids[0]);
    const QString title_name = QString::fromStdString(fx_.store->title(fx_.title_id)->name);
    QCOMPARE(QFileInfo(files[0]).fileName(),
             artworkCropFileName(title_name, 1, first.frame_index, QStringLiteral("16:9"), QStringLiteral("jpg")));
    QVERIFY(QFileInfo(files[3]).fileName().contains(QStringLiteral("-02-f%1-").arg(stored(fx_.artwork_ids[1]).frame_index)));
    const QImage wide(files[0]);
    QCOMPARE(wide.size(), QSize(320, 202));  // [0, 0.06, 1, 0.84] of 320x240
    const QImage poster(files[1]);
    QCOMPARE(poster.size(), QSize(160, 240));  // [0.3, 0, 0.5, 1]
    QCOMPARE(QDir(out.path()).entryList(QDir::Files).size(), 6);
    QVERIFY(view_->statusText().contains(QStringLiteral("6 file")));

    // PNG too.
    QTemporaryDir png;
    finished.clear();
    view_->exportPicked(png.path(), QStringLiteral("png"));
    QVERIFY(finished.wait(20000));
    QCOMPARE(QDir(png.path()).entryList({QStringLiteral("*.png")}, QDir::Files).size(), 6);
}

void TestArtworkView::exportToBadFolderSaysWhichFile()
{
    const QString not_a_folder = dir_.filePath(QStringLiteral("review.db"));  // a file, not a folder
    QSignalSpy finished(view_.get(), &ArtworkView::exportFinished);
    view_->exportPicked(not_a_folder);
    QVERIFY(finished.wait(20000));
    const QString error = finished.first().at(1).toString();
    QVERIFY2(error.contains(not_a_folder) && !error.contains(QLatin1Char('\n')), qPrintable(error));
    QVERIFY(finished.first().at(0).toStringList().isEmpty());
    QCOMPARE(view_->statusText(), error);
}

void TestArtworkView::conflictFromAnotherConnection()
{
    // Another reviewer ranks ids[0] before this board reloads; rejecting it here then finds a newer version.
    const ArtworkCandidate seen = stored(fx_.artwork_ids[0]);
    QVERIFY(fx_.store->rank_artwork("ben", seen.id, seen.version, 7).applied);
    QSignalSpy conflicts(session_.get(), &ReviewSession::conflict);
    clickCard(view_->model()->rowOf(seen.id));
    QTest::keyClick(view_->grid(), Qt::Key_R);
    QVERIFY(session_->waitForIdle());
    QCOMPARE(conflicts.count(), 1);
    QCOMPARE(stored(seen.id).state, ReviewState::Accepted);  // theirs kept, nothing overwritten
    QCOMPARE(stored(seen.id).rank, 7);
    QTRY_VERIFY(view_->statusText().contains(QStringLiteral("someone else")) ||
                view_->statusText().contains(QStringLiteral("candidates")));
    // The board reloads what is stored: the card is picked again, with ben's rank.
    QTRY_COMPARE(view_->model()->card(view_->model()->rowOf(seen.id))->candidate.rank, 7);
    QCOMPARE(view_->model()->card(view_->model()->rowOf(seen.id))->candidate.state, ReviewState::Accepted);
}

void TestArtworkView::screenshot()
{
    clickCard(0);
    QTRY_VERIFY(!view_->detail()->cropStrip()->crops().isEmpty());
    for (int row = 0; row < view_->model()->rowCount(); ++row)
        QTRY_VERIFY(!qvariant_cast<QImage>(view_->model()->data(view_->model()->index(row), ArtworkModel::ThumbnailRole)).isNull());
    QTest::qWait(50);
    QVERIFY(view_->grab().save(QStringLiteral("/tmp/h3-artwork.png")));
}

void TestArtworkView::breakdownAndCropsParsing()
{
    // The analysis' shape (core/analysis/artwork.cpp): terms with weights, gates, notes.
    const Breakdown b = parseBreakdown(QStringLiteral(
        R"({"score":0.2,"weighted":0.5,"terms":{"face":{"value":0.9,"weight":0.25},"sharpness":{"value":0.4,"weight":0.15}},)"
        R"("gates":{"in_transition":0.3},"notes":["no nsfw scores"]})"));
    QCOMPARE(b.terms.size(), 2);
    QCOMPARE(b.terms[0].name, QStringLiteral("face"));
    QCOMPARE(b.terms[0].weight, 0.25);
    QCOMPARE(b.gates.size(), 1);
    QCOMPARE(b.gates[0].second, 0.3);
    QCOMPARE(b.notes, QStringList{QStringLiteral("no nsfw scores")});
    QVERIFY(parseBreakdown(QStringLiteral("not json")).terms.isEmpty());
    // Crops in the usual order; broken entries left out; boxes clamped to the frame.
    const QList<ArtworkCropBox> crops = parseCrops(QStringLiteral(
        R"({"1:1":[0.2,0,0.75,1],"16:9":[0,0.06,1,0.84],"bad":[1,2],"text":"x","4:3":[0.5,0.5,0.8,0.8]})"));
    QCOMPARE(crops.size(), 3);
    QCOMPARE(crops[0].shape, QStringLiteral("16:9"));
    QCOMPARE(crops[1].shape, QStringLiteral("1:1"));
    QCOMPARE(crops[2].box, QRectF(0.5, 0.5, 0.5, 0.5));
    QCOMPARE(cropPixels(crops[0].box, QSize(320, 240)), QRect(0, 14, 320, 202));
}

QTEST_MAIN(TestArtworkView)
#include "tst_artwork_view.moc"
