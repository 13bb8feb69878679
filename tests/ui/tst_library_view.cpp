// The Library tab driven as a review lead uses it, offscreen: the main window over the review fixture plus two
// titles made here (one ready, one failed). Rows are checked against the fixture's known proposals, a change made
// through a second connection must appear by itself, filter and sort are typed and clicked, and Enter or a
// double-click opens the title in the workspace.
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>
#include <memory>

#include "core/store/store.h"
#include "tests/support/ready_title.h"
#include "tests/support/review_fixture.h"
#include "ui/artwork_view.h"
#include "ui/chapters_view.h"
#include "ui/characters_view.h"
#include "ui/first_run.h"
#include "ui/library_model.h"
#include "ui/library_view.h"
#include "ui/main_window.h"
#include "ui/review_session.h"
#include "ui/search_view.h"
#include "ui/store_command.h"
#include "ui/tags_view.h"
#include "ui/title_view.h"

using namespace frameline;
using namespace frameline::ui;

namespace {

Review accept_tag(int64_t id, const std::string& reviewer)
{
    Review r;
    r.entity = "tag";
    r.id = id;
    r.expected_version = 1;
    r.reviewer = reviewer;
    r.action = ReviewAction::Accept;
    return r;
}

const QString kBrokenMessage = QStringLiteral("cannot decode frame 12 of broken.mp4: re-encode the file and add it again");

}  // namespace

class TestLibraryView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void libraryIsTheFirstTabAndEachViewHasItsOwn();
    void rowsShowTheCounts();
    void reviewsElsewhereAppearLiveKeepingThePlace();
    void editsInThisWindowAppear();
    void filterByName();
    void sortByClickingHeaders();
    void enterAndDoubleClickOpenTheTitle();
    void emptyDatabaseShowsThePlaceholder();

private:
    void showLibrary();
    int rowOf(qint64 title_id) const;  // proxy row, -1 when not shown
    QString cell(qint64 title_id, int column, int role = Qt::DisplayRole) const;
    QList<qint64> shownOrder() const;

    QTemporaryDir* dir_ = nullptr;
    test::ReviewFixture fx_;
    int64_t zebra_id_ = 0;   // ready, 2 shots, no proposals
    int64_t broken_id_ = 0;  // failed
    std::unique_ptr<MainWindow> window_;
    LibraryView* library_ = nullptr;
};

void TestLibraryView::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("frameline-tests-library"));
    QSettings().clear();
}

void TestLibraryView::init()
{
    dir_ = new QTemporaryDir;
    QVERIFY(dir_->isValid());
    const QString made = test::make_review_fixture(dir_->path(), &fx_);
    QVERIFY2(made.isEmpty(), qPrintable(made));
    zebra_id_ = test::add_ready_title(*fx_.store, "Zebra trailer", 2);
    NewTitle broken;
    broken.name = "broken";
    broken.media_path = "/media/broken.mp4";
    broken.content_hash = "hash-broken";
    broken_id_ = fx_.store->create_title(broken);
    fx_.store->set_title_status(broken_id_, TitleStatus::Failed, kBrokenMessage.toStdString());
    window_ = std::make_unique<MainWindow>(open_store(fx_.db_path.toStdString()));
    window_->session()->setReviewer(QStringLiteral("lead"));
    window_->resize(1400, 900);
    window_->show();
    QApplication::setActiveWindow(window_.get());
    QVERIFY(QTest::qWaitForWindowActive(window_.get()));
    library_ = window_->libraryView();
}

void TestLibraryView::cleanup()
{
    if (window_) window_->session()->waitForIdle();
    window_.reset();
    library_ = nullptr;
    fx_ = {};
    delete dir_;
    dir_ = nullptr;
}

void TestLibraryView::showLibrary()
{
    QVERIFY(window_->showView(QStringLiteral("library")));
    QTRY_VERIFY(library_->libraryModel()->rowCount() > 0 && !library_->isLoading());
    QTRY_VERIFY(library_->table()->hasFocus());
}

int TestLibraryView::rowOf(qint64 title_id) const
{
    QSortFilterProxyModel* proxy = library_->proxy();
    for (int r = 0; r < proxy->rowCount(); ++r)
        if (proxy->index(r, 0).data(LibraryModel::TitleIdRole).toLongLong() == title_id) return r;
    return -1;
}

QString TestLibraryView::cell(qint64 title_id, int column, int role) const
{
    const int row = rowOf(title_id);
    return row < 0 ? QStringLiteral("<no row>") : library_->proxy()->index(row, column).data(role).toString();
}

QList<qint64> TestLibraryView::shownOrder() const
{
    QList<qint64> ids;
    for (int r = 0; r < library_->proxy()->rowCount(); ++r)
        ids << library_->proxy()->index(r, 0).data(LibraryModel::TitleIdRole).toLongLong();
    return ids;
}

void TestLibraryView::libraryIsTheFirstTabAndEachViewHasItsOwn()
{
    QTabWidget* tabs = window_->viewTabs();
    QCOMPARE(tabs->widget(0), static_cast<QWidget*>(library_));
    // The window still opens on the title workspace, with the first title.
    QCOMPARE(tabs->currentWidget(), static_cast<QWidget*>(window_->titleView()));
    QCOMPARE(window_->selectedTitleId(), fx_.title_id);
    const QList<QWidget*> pages = {library_,
                                   window_->titleView(),
                                   window_->tagsView(),
                                   window_->charactersView(),
                                   window_->chaptersView(),
                                   window_->artworkView(),
                                   window_->searchView()};
    QCOMPARE(MainWindow::viewNames().size(), pages.size());
    for (int i = 0; i < pages.size(); ++i) {
        QVERIFY(window_->showView(MainWindow::viewNames()[i]));
        QCOMPARE(tabs->currentIndex(), i);
        QCOMPARE(tabs->currentWidget(), pages[i]);
    }
    QVERIFY(!window_->showView(QStringLiteral("timeline")));
    // The Library is never covered by "No title selected", even with no title open.
    window_->titleView()->showTitle(0);
    showLibrary();
    QVERIFY(!window_->noTitleOverlay()->isCovering());
    QVERIFY(library_->table()->isVisible());
    // The Library marks the window's title.
    QCOMPARE(library_->currentTitleId(), fx_.title_id);
}

void TestLibraryView::rowsShowTheCounts()
{
    showLibrary();
    QCOMPARE(library_->proxy()->rowCount(), 3);
    // The fixture (tests/support/review_fixture.h): 4 shots of 25 frames, 6 tags, 2 characters, 2 chapters and a
    // key scene, 3 artwork candidates, nothing reviewed yet.
    QCOMPARE(cell(fx_.title_id, LibraryModel::StatusColumn), QStringLiteral("ready"));
    QCOMPARE(cell(fx_.title_id, LibraryModel::DurationColumn), QStringLiteral("0:04"));
    QCOMPARE(cell(fx_.title_id, LibraryModel::ShotsColumn), QStringLiteral("4"));
    QCOMPARE(cell(fx_.title_id, LibraryModel::FramesColumn), QString::number(fx_.frame_indices.size()));
    QCOMPARE(cell(fx_.title_id, LibraryModel::TagsColumn), QStringLiteral("0 / 6"));
    QCOMPARE(cell(fx_.title_id, LibraryModel::TagsColumn, LibraryModel::ProgressRole).toDouble(), 0.0);
    QCOMPARE(cell(fx_.title_id, LibraryModel::CharactersColumn), QStringLiteral("0 / 2"));
    QCOMPARE(cell(fx_.title_id, LibraryModel::ChaptersColumn), QStringLiteral("2"));
    QVERIFY2(cell(fx_.title_id, LibraryModel::ChaptersColumn, Qt::ToolTipRole).contains(QStringLiteral("1 key scene")),
             qPrintable(cell(fx_.title_id, LibraryModel::ChaptersColumn, Qt::ToolTipRole)));
    QCOMPARE(cell(fx_.title_id, LibraryModel::ArtworkColumn), QStringLiteral("0 / 3"));
    QCOMPARE(cell(fx_.title_id, LibraryModel::LastReviewColumn), QStringLiteral("never"));
    QCOMPARE(cell(fx_.title_id, LibraryModel::ReviewerColumn), QString());
    // A title without proposals shows dashes and no bar.
    QCOMPARE(cell(zebra_id_, LibraryModel::ShotsColumn), QStringLiteral("2"));
    QCOMPARE(cell(zebra_id_, LibraryModel::FramesColumn), QStringLiteral("2"));
    QCOMPARE(cell(zebra_id_, LibraryModel::TagsColumn), QStringLiteral("–"));
    QVERIFY(cell(zebra_id_, LibraryModel::TagsColumn, LibraryModel::ProgressRole).toDouble() < 0);
    // A failed title says why in the tooltip of its status.
    QCOMPARE(cell(broken_id_, LibraryModel::StatusColumn), QStringLiteral("failed"));
    QCOMPARE(cell(broken_id_, LibraryModel::StatusColumn, Qt::ToolTipRole), kBrokenMessage);
    QCOMPARE(cell(broken_id_, LibraryModel::ShotsColumn), QString());
}

void TestLibraryView::reviewsElsewhereAppearLiveKeepingThePlace()
{
    showLibrary();
    // The reviewer's place: the fixture's row selected.
    library_->selectTitle(fx_.title_id);
    QCOMPARE(library_->currentTitleId(), fx_.title_id);
    QSignalSpy loads(library_, &LibraryView::loaded);

    // Another reviewer accepts two tags through a connection of their own.
    auto other = open_store(fx_.db_path.toStdString());
    QVERIFY(other->review(accept_tag(fx_.tag_ids[0], "kim")).applied);
    QVERIFY(other->review(accept_tag(fx_.tag_ids[3], "kim")).applied);
    // Live updates are polled about once a second; the Library follows without anyone asking.
    QTRY_COMPARE_WITH_TIMEOUT(cell(fx_.title_id, LibraryModel::TagsColumn), QStringLiteral("2 / 6"), 8000);
    QCOMPARE(cell(fx_.title_id, LibraryModel::TagsColumn, LibraryModel::ProgressRole).toDouble(), 2.0 / 6.0);
    QCOMPARE(cell(fx_.title_id, LibraryModel::ReviewerColumn), QStringLiteral("kim"));
    const QDateTime at = QDateTime::fromString(cell(fx_.title_id, LibraryModel::LastReviewColumn),
                                               QStringLiteral("yyyy-MM-dd hh:mm"));
    QVERIFY2(at.isValid() && qAbs(at.secsTo(QDateTime::currentDateTime())) < 600,
             qPrintable(cell(fx_.title_id, LibraryModel::LastReviewColumn)));
    QCOMPARE(cell(zebra_id_, LibraryModel::ReviewerColumn), QString());  // other titles untouched
    QVERIFY(loads.count() >= 1);
    QCOMPARE(library_->currentTitleId(), fx_.title_id);  // the selection stayed

    // A title added elsewhere appears too (a reset of the rows), and the selection is put back.
    test::add_ready_title(*other, "Aardvark pilot", 3);
    QTRY_COMPARE_WITH_TIMEOUT(library_->proxy()->rowCount(), 4, 8000);
    QCOMPARE(library_->currentTitleId(), fx_.title_id);
    QVERIFY(library_->table()->selectionModel()->isRowSelected(rowOf(fx_.title_id), {}));
}

void TestLibraryView::editsInThisWindowAppear()
{
    showLibrary();
    // An accept made in this window (the Tags view's path: a StoreCommand on the undo stack).
    Review r = accept_tag(fx_.tag_ids[1], "lead");
    window_->session()->undoStack()->push(
        StoreCommand::review(window_->session(), QStringLiteral("Accept tag"), r, fx_.title_id));
    QVERIFY(window_->session()->waitForIdle());
    QTRY_COMPARE_WITH_TIMEOUT(cell(fx_.title_id, LibraryModel::TagsColumn), QStringLiteral("1 / 6"), 3000);
    QCOMPARE(cell(fx_.title_id, LibraryModel::ReviewerColumn), QStringLiteral("lead"));
    // Undo is an edit too.
    window_->session()->undoStack()->undo();
    QVERIFY(window_->session()->waitForIdle());
    QTRY_COMPARE_WITH_TIMEOUT(cell(fx_.title_id, LibraryModel::TagsColumn), QStringLiteral("0 / 6"), 3000);
}

void TestLibraryView::filterByName()
{
    showLibrary();
    QLineEdit* filter = library_->filterEdit();
    filter->setFocus();
    QTest::keyClicks(filter, QStringLiteral("ZEB"));  // case does not matter
    QCOMPARE(shownOrder(), QList<qint64>{zebra_id_});
    QTest::keyClick(filter, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClick(filter, Qt::Key_Backspace);
    QCOMPARE(library_->proxy()->rowCount(), 3);
    QTest::keyClicks(filter, QStringLiteral("no such title"));
    QCOMPARE(library_->proxy()->rowCount(), 0);
    QVERIFY(library_->table()->isVisible());  // "nothing matches" is not the empty-library placeholder
    QVERIFY(!library_->placeholder()->isVisible());
    filter->clear();
    QCOMPARE(library_->proxy()->rowCount(), 3);
}

void TestLibraryView::sortByClickingHeaders()
{
    showLibrary();
    const QString fixture_name = cell(fx_.title_id, LibraryModel::NameColumn);
    QVERIFY(fixture_name.compare(QStringLiteral("Zebra trailer"), Qt::CaseInsensitive) < 0);
    // By name at first, case-insensitively: broken, <fixture>, Zebra trailer.
    QCOMPARE(shownOrder(), (QList<qint64>{broken_id_, fx_.title_id, zebra_id_}));
    QHeaderView* header = library_->table()->horizontalHeader();
    auto click_header = [header](int column) {
        const int x = header->sectionViewportPosition(column) + header->sectionSize(column) / 2;
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, QPoint(x, header->height() / 2));
    };
    click_header(LibraryModel::NameColumn);  // the sorted column again: descending
    QCOMPARE(shownOrder(), (QList<qint64>{zebra_id_, fx_.title_id, broken_id_}));
    click_header(LibraryModel::ShotsColumn);  // ascending: the failed title (no shots) first, then 2, then 4
    QCOMPARE(shownOrder(), (QList<qint64>{broken_id_, zebra_id_, fx_.title_id}));
    click_header(LibraryModel::ShotsColumn);
    QCOMPARE(shownOrder(), (QList<qint64>{fx_.title_id, zebra_id_, broken_id_}));
    // Tags: titles without tags before any with tags (ascending = least reviewed first).
    click_header(LibraryModel::TagsColumn);
    QCOMPARE(shownOrder().last(), fx_.title_id);
}

void TestLibraryView::enterAndDoubleClickOpenTheTitle()
{
    showLibrary();
    QTableView* table = library_->table();
    // Keyboard: move to the zebra row and press Enter.
    table->setCurrentIndex(library_->proxy()->index(rowOf(fx_.title_id), 0));
    const int zebra_row = rowOf(zebra_id_);
    QVERIFY(zebra_row > rowOf(fx_.title_id));
    for (int r = rowOf(fx_.title_id); r < zebra_row; ++r) QTest::keyClick(table, Qt::Key_Down);
    QCOMPARE(library_->currentTitleId(), zebra_id_);
    QCOMPARE(window_->viewTabs()->currentWidget(), static_cast<QWidget*>(library_));  // moving does not open
    QTest::keyClick(table, Qt::Key_Return);
    QCOMPARE(window_->viewTabs()->currentWidget(), static_cast<QWidget*>(window_->titleView()));
    QCOMPARE(window_->selectedTitleId(), zebra_id_);
    QTRY_COMPARE(window_->titleView()->titleId(), zebra_id_);

    // Mouse: back to the Library, double-click the fixture's row.
    showLibrary();
    QCOMPARE(library_->currentTitleId(), zebra_id_);  // it follows the window's title
    const QRect rect = table->visualRect(library_->proxy()->index(rowOf(fx_.title_id), LibraryModel::NameColumn));
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, rect.center());
    QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, rect.center());
    QCOMPARE(window_->viewTabs()->currentWidget(), static_cast<QWidget*>(window_->titleView()));
    QCOMPARE(window_->selectedTitleId(), fx_.title_id);
    QTRY_COMPARE(window_->titleView()->titleId(), fx_.title_id);
}

void TestLibraryView::emptyDatabaseShowsThePlaceholder()
{
    // A database of its own, with nothing in it.
    const QString empty_db = dir_->filePath(QStringLiteral("empty.db"));
    window_.reset();
    window_ = std::make_unique<MainWindow>(open_store(empty_db.toStdString()));
    window_->resize(1400, 900);
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
    library_ = window_->libraryView();
    QVERIFY(window_->showView(QStringLiteral("library")));
    QTRY_VERIFY(library_->placeholder()->isVisible());
    QVERIFY(!library_->table()->isVisible());
    QVERIFY(library_->placeholder()->text().contains(QStringLiteral("No titles yet")));
    QVERIFY(library_->placeholder()->text().contains(QStringLiteral("frameline-cli ingest")));
    QVERIFY(!window_->noTitleOverlay()->isCovering());

    // A title ingested elsewhere replaces the placeholder by the table.
    auto other = open_store(empty_db.toStdString());
    const int64_t id = test::add_ready_title(*other, "First title", 1);
    QTRY_VERIFY_WITH_TIMEOUT(library_->table()->isVisible(), 8000);
    QVERIFY(!library_->placeholder()->isVisible());
    QCOMPARE(shownOrder(), QList<qint64>{id});
}

QTEST_MAIN(TestLibraryView)
#include "tst_library_view.moc"
