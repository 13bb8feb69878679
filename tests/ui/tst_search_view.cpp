// Scene search driven with the keyboard and mouse offscreen: text, mood, more like this (from a result and from a
// frame index), opening a result, and the messages for queries that find nothing or cannot run.
#include <QComboBox>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "core/store/store.h"
#include "tests/support/review_fixture.h"
#include "ui/review_session.h"
#include "ui/search_results_model.h"
#include "ui/search_view.h"

using namespace frameline;
using namespace frameline::ui;

class TestSearchView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void textFindsTheCarShot();
    void moodFindsTenseShots();
    void moreLikeThisRanksTheExampleFirst();
    void likeThisShotUsesShotEmbeddings();
    void likeFrameIndexUsesNearestSampled();
    void enterAndDoubleClickOpenTheShot();
    void nothingFoundAndEmptyQuery();
    void screenshot();

private:
    int typeAndSearch(const QString& text);
    QPushButton* button(const QString& text);
    QTemporaryDir dir_;
    test::ReviewFixture fx_;
    std::unique_ptr<ReviewSession> session_;
    std::unique_ptr<SearchView> view_;
};

void TestSearchView::initTestCase()
{
    QVERIFY(dir_.isValid());
    const QString made = test::make_review_fixture(dir_.path(), &fx_);
    QVERIFY2(made.isEmpty(), qPrintable(made));
    QCoreApplication::setOrganizationName(QStringLiteral("frameline-tests"));
    QSettings().clear();
    session_ = std::make_unique<ReviewSession>(open_store(fx_.db_path.toStdString()));
    view_ = std::make_unique<SearchView>(session_.get());
    view_->resize(1000, 640);
    view_->show();
    QVERIFY(QTest::qWaitForWindowExposed(view_.get()));
    view_->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(view_.get()));
    QSignalSpy moods(view_.get(), &SearchView::moodsLoaded);
    view_->showTitle(fx_.title_id);
    QVERIFY(moods.wait(10000));
    QVERIFY(view_->moodBox()->findText(QStringLiteral("tense")) > 0);
    QCOMPARE(view_->moodBox()->findText(QStringLiteral("warm")), -1);  // a colour, not a mood
}

void TestSearchView::cleanupTestCase()
{
    view_.reset();
    session_.reset();
}

QPushButton* TestSearchView::button(const QString& text)
{
    for (QPushButton* b : view_->findChildren<QPushButton*>())
        if (b->text() == text) return b;
    return nullptr;
}

int TestSearchView::typeAndSearch(const QString& text)
{
    QSignalSpy searched(view_.get(), &SearchView::searched);
    QLineEdit* box = view_->queryBox();
    box->setFocus();
    box->selectAll();
    QTest::keyClick(box, Qt::Key_Backspace);
    QTest::keyClicks(box, text);
    QTest::keyClick(box, Qt::Key_Return);
    if (!searched.wait(10000)) return -2;
    return searched.first().first().toInt();
}

void TestSearchView::textFindsTheCarShot()
{
    QCOMPARE(typeAndSearch(QStringLiteral("car")), 1);
    const SceneHit* hit = view_->model()->hit(0);
    QVERIFY(hit);
    QCOMPARE(hit->title_id, fx_.title_id);
    QCOMPARE(hit->shot_index, 0);
    QVERIFY(QString::fromStdString(hit->why).contains(QStringLiteral("car")));
    QVERIFY(view_->statusText().contains(QStringLiteral("1 shot")));
}

void TestSearchView::moodFindsTenseShots()
{
    QSignalSpy searched(view_.get(), &SearchView::searched);
    view_->queryBox()->clear();
    QComboBox* mood = view_->moodBox();
    mood->setFocus();
    // Choose "tense" from the list with the keyboard: the combo searches on its choice.
    const int tense = mood->findText(QStringLiteral("tense"));
    mood->setCurrentIndex(0);
    for (int i = 0; i < tense; ++i) QTest::keyClick(mood, Qt::Key_Down);
    QCOMPARE(mood->currentText(), QStringLiteral("tense"));
    QTest::keyClick(mood->lineEdit(), Qt::Key_Return);
    QVERIFY(searched.wait(10000));
    QCOMPARE(searched.last().first().toInt(), 4);  // a title-wide mood: every shot
    for (int row = 0; row < 4; ++row)
        QVERIFY(view_->model()->data(view_->model()->index(row), SearchResultsModel::WhyRole).toString().contains(
            QStringLiteral("mood tense")));
    // Text and mood together: only the car shot.
    QCOMPARE(typeAndSearch(QStringLiteral("car")), 1);
    QVERIFY(QString::fromStdString(view_->model()->hit(0)->why).contains(QStringLiteral("mood tense")));
    mood->setCurrentIndex(0);
}

void TestSearchView::moreLikeThisRanksTheExampleFirst()
{
    QCOMPARE(typeAndSearch(QStringLiteral("open")), 2);  // chapter "Opening": shots 0 and 1
    QListView* grid = view_->results();
    const QRect second = grid->visualRect(view_->model()->index(1));
    QTest::mouseClick(grid->viewport(), Qt::LeftButton, {}, second.center());
    const SceneHit example = *view_->model()->hit(1);
    QSignalSpy searched(view_.get(), &SearchView::searched);
    QPushButton* more = button(QStringLiteral("More like this"));
    QVERIFY(more && more->isEnabled());
    QTest::mouseClick(more, Qt::LeftButton);
    QVERIFY(searched.wait(10000));
    QCOMPARE(searched.first().first().toInt(), 4);
    const auto& hits = view_->model()->hits();
    QCOMPARE(hits[0].frame_index, example.frame_index);
    QCOMPARE(hits[0].shot_index, example.shot_index);
    QVERIFY(std::abs(hits[0].score - 1.0) < 1e-6);
    for (size_t i = 1; i < hits.size(); ++i) {
        QVERIFY(hits[i - 1].score >= hits[i].score);
        QVERIFY(QString::fromStdString(hits[i].why).contains(QStringLiteral("cosine")));
    }
}

void TestSearchView::likeThisShotUsesShotEmbeddings()
{
    QCOMPARE(typeAndSearch(QStringLiteral("open")), 2);
    QListView* grid = view_->results();
    QTest::mouseClick(grid->viewport(), Qt::LeftButton, {}, grid->visualRect(view_->model()->index(1)).center());
    const SceneHit example = *view_->model()->hit(1);
    QPushButton* like_shot = button(QStringLiteral("Like this shot"));
    QVERIFY(like_shot && like_shot->isEnabled());

    // The fixture has frame vectors only: the status says what the shot lacks and how to get it.
    QSignalSpy searched(view_.get(), &SearchView::searched);
    QTest::mouseClick(like_shot, Qt::LeftButton);
    QVERIFY(searched.wait(10000));
    QCOMPARE(searched.last().first().toInt(), -1);
    QVERIFY2(view_->statusText().contains(QStringLiteral("shot embedding")), qPrintable(view_->statusText()));

    // Shot vectors as the ingest's "embeddings" run stores them ("media:" + the frame model).
    ModelRunOutput run;
    run.model = "embeddings";
    for (int s = 0; s < 4; ++s) {
        Embedding e;
        e.model = "media:visual";
        e.entity = "shot";
        e.entity_key = s;
        e.vector = {float(s % 2), float(s % 3), 1.f, float(s)};
        run.embeddings.push_back(e);
    }
    fx_.store->save_model_run(fx_.title_id, run);
    QCOMPARE(typeAndSearch(QStringLiteral("open")), 2);
    QTest::mouseClick(grid->viewport(), Qt::LeftButton, {}, grid->visualRect(view_->model()->index(1)).center());
    QTest::mouseClick(like_shot, Qt::LeftButton);
    QVERIFY(searched.wait(10000));
    QCOMPARE(searched.last().first().toInt(), 4);
    const auto& hits = view_->model()->hits();
    QCOMPARE(hits[0].shot_index, example.shot_index);
    QVERIFY(std::abs(hits[0].score - 1.0) < 1e-6);
    QVERIFY2(QString::fromStdString(hits[0].why).contains(QStringLiteral("like shot")), hits[0].why.c_str());
    for (size_t i = 1; i < hits.size(); ++i) QVERIFY(hits[i - 1].score >= hits[i].score);
    QVERIFY2(view_->statusText().contains(QStringLiteral("like shot %1").arg(example.shot_index + 1)),
             qPrintable(view_->statusText()));
}

void TestSearchView::likeFrameIndexUsesNearestSampled()
{
    // Frame 1 is not a sampled frame of the fixture (it samples a few per shot); the nearest sampled one is used.
    std::vector<int64_t> sampled = fx_.frame_indices;
    int64_t missing = -1;
    for (int64_t f = 0; f < 100 && missing < 0; ++f)
        if (std::find(sampled.begin(), sampled.end(), f) == sampled.end()) missing = f;
    QVERIFY(missing >= 0);
    QSignalSpy searched(view_.get(), &SearchView::searched);
    view_->moreLikeFrame(fx_.title_id, missing);
    QVERIFY(searched.wait(10000));
    QVERIFY(searched.first().first().toInt() > 0);
    QVERIFY2(view_->statusText().contains(QStringLiteral("not sampled")), qPrintable(view_->statusText()));
    const int64_t used = view_->model()->hit(0)->frame_index;
    QVERIFY(std::find(sampled.begin(), sampled.end(), used) != sampled.end());
    for (int64_t f : sampled) QVERIFY(std::llabs(f - missing) >= std::llabs(used - missing));
}

void TestSearchView::enterAndDoubleClickOpenTheShot()
{
    QCOMPARE(typeAndSearch(QStringLiteral("open")), 2);
    QSignalSpy opened(view_.get(), &SearchView::openShot);
    QListView* grid = view_->results();
    grid->setFocus();
    grid->setCurrentIndex(view_->model()->index(1));
    QTest::keyClick(grid, Qt::Key_Return);
    QCOMPARE(opened.count(), 1);
    const SceneHit second = *view_->model()->hit(1);
    QCOMPARE(opened.first().at(0).toLongLong(), second.title_id);
    QCOMPARE(opened.first().at(1).toInt(), second.shot_index);
    QCOMPARE(opened.first().at(2).toLongLong(), second.frame_index);
    const QPoint first = grid->visualRect(view_->model()->index(0)).center();
    // A double-click as the window system delivers it: press and release, then the double-click event.
    QTest::mouseClick(grid->viewport(), Qt::LeftButton, {}, first);
    QCOMPARE(opened.count(), 1);  // a single click only selects
    QTest::mouseDClick(grid->viewport(), Qt::LeftButton, {}, first);
    QCOMPARE(opened.count(), 2);
    QCOMPARE(opened.last().at(1).toInt(), 0);
}

void TestSearchView::nothingFoundAndEmptyQuery()
{
    QCOMPARE(typeAndSearch(QStringLiteral("zebra")), 0);
    QVERIFY(view_->statusText().contains(QStringLiteral("Nothing found")));
    QCOMPARE(view_->model()->rowCount(), 0);
    // An empty box and no mood: no query runs, the status says what to do.
    QSignalSpy searched(view_.get(), &SearchView::searched);
    view_->queryBox()->clear();
    view_->search();
    QTest::qWait(100);
    QCOMPARE(searched.count(), 0);
    QVERIFY(view_->statusText().contains(QStringLiteral("Type something")));
    // The one query syntax: a tag filter, and a malformed query says what is wrong.
    QCOMPARE(typeAndSearch(QStringLiteral("tag:object:car")), 1);
    QCOMPARE(view_->model()->hit(0)->shot_index, 0);
    QCOMPARE(typeAndSearch(QStringLiteral("like:abc")), -1);
    QVERIFY2(view_->statusText().contains(QStringLiteral("like:abc")), qPrintable(view_->statusText()));
    // Every title (one here) answers the same as this title.
    view_->setAllTitles(true);
    QCOMPARE(typeAndSearch(QStringLiteral("car")), 1);
    view_->setAllTitles(false);
}

void TestSearchView::screenshot()
{
    QCOMPARE(typeAndSearch(QStringLiteral("open")), 2);
    QSignalSpy searched(view_.get(), &SearchView::searched);
    view_->moreLikeFrame(fx_.title_id, fx_.frame_indices.front());
    QVERIFY(searched.wait(10000));
    for (int row = 0; row < view_->model()->rowCount(); ++row)
        QTRY_VERIFY(!qvariant_cast<QImage>(
                         view_->model()->data(view_->model()->index(row), SearchResultsModel::ThumbnailRole))
                         .isNull());
    QTest::qWait(50);
    QVERIFY(view_->grab().save(QStringLiteral("/tmp/h3-search.png")));
}

QTEST_MAIN(TestSearchView)
#include "tst_search_view.moc"
