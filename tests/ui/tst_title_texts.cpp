// Issue #8 in the title workspace, on the review fixture with a transcript (recognised speech in English and French,
// English subtitles) and on-screen text lines stored through Store::save_model_run as the speech and OCR steps save
// theirs: the transcript panel shows what scene search uses (subtitles over English speech) and seeks on a click;
// the OCR boxes of the sampled frame under the still are drawn over it (and not when switched off); the synopsis and
// reviews are edited through the window's undo stack into the store, with keywords and the lexicon sentiment shown;
// empty or unchanged input is refused with a message and nothing stored.
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QUndoStack>
#include <QtTest>
#include <memory>

#include "core/store/store.h"
#include "tests/support/review_fixture.h"
#include "ui/main_window.h"
#include "ui/player_view.h"
#include "ui/review_session.h"
#include "ui/shot_timeline.h"
#include "ui/timeline_lanes.h"
#include "ui/title_texts_panel.h"
#include "ui/title_view.h"
#include "ui/transcript_panel.h"

using namespace frameline;
using namespace frameline::ui;

class TestTitleTexts : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void transcriptPrefersSubtitles();
    void clickingATranscriptLineSeeks();
    void transcriptTrackChoice();
    void screenTextBoxesOverTheStill();
    void synopsisEditIsStoredAndUndoable();
    void reviewsAddDeleteWithLexiconSentiment();
    void metadataDescriptionShown();
    void badInputsAreRefused();
    void grabForScreenshots();

private:
    TitleView* view() const { return window_->titleView(); }
    TitleTextsPanel* texts() const { return view()->titleTextsPanel(); }
    std::vector<TitleText> stored(const std::string& kind) const;
    double ptsOf(int64_t frame_index) const;
    void waitForTexts();

    QTemporaryDir dir_;
    test::ReviewFixture fx_;
    std::unique_ptr<MainWindow> window_;
};

namespace {
TranscriptSegment segment(const std::string& source, const std::string& language, double start, double end,
                          const std::string& text)
{
    TranscriptSegment s;
    s.source = source;
    s.language = language;
    s.start_s = start;
    s.end_s = end;
    s.text = text;
    return s;
}

ScreenText line(int64_t frame_index, double x, double y, double w, double h, const std::string& text)
{
    ScreenText t;
    t.frame_index = frame_index;
    t.x = x;
    t.y = y;
    t.width = w;
    t.height = h;
    t.text = text;
    t.confidence = 0.9;
    return t;
}
}  // namespace

void TestTitleTexts::initTestCase()
{
    QVERIFY(dir_.isValid());
    // FRAMELINE_H8_GRAB=DIR keeps the fixture (clip and database) there, for `frameline --screenshot`.
    QString fixture_dir = qEnvironmentVariable("FRAMELINE_H8_GRAB");
    if (fixture_dir.isEmpty()) fixture_dir = dir_.path();
    for (const char* f : {"review.db", "review.db-wal", "review.db-shm", "review.mp4"})
        QFile::remove(QDir(fixture_dir).filePath(QString::fromLatin1(f)));
    const QString made = test::make_review_fixture(fixture_dir, &fx_);
    QVERIFY2(made.isEmpty(), qPrintable(made));
    QVERIFY(fx_.frame_indices.size() >= 4);
    QCoreApplication::setOrganizationName(QStringLiteral("frameline-tests"));
    QSettings().clear();

    ModelRunOutput speech;
    speech.model = "speech";
    speech.model_version = "fixture";
    TranscriptSegment hello = segment("speech", "eng", 0.2, 1.0, "hello there detective");
    hello.words = {{"hello", 0.2, 0.5, 0.9}, {"there", 0.5, 0.7, 0.8}, {"detective", 0.7, 1.0, 0.7}};
    speech.transcript = {hello, segment("speech", "fra", 2.0, 2.4, "bonjour")};
    fx_.store->save_model_run(fx_.title_id, speech);
    ModelRunOutput subtitles;
    subtitles.model = "subtitles";
    subtitles.model_version = "fixture";
    subtitles.transcript = {segment("subtitle", "eng", 0.5, 1.5, "Hello there,\ndetective."),
                            segment("subtitle", "eng", 2.5, 3.5, "Where is the car?")};
    fx_.store->save_model_run(fx_.title_id, subtitles);
    ModelRunOutput ocr;
    ocr.model = "ocr";
    ocr.model_version = "fixture";
    ocr.screen_text = {line(fx_.frame_indices[0], 0.10, 0.70, 0.50, 0.10, "POLICE LINE"),
                       line(fx_.frame_indices[0], 0.60, 0.10, 0.30, 0.08, "EXIT"),
                       line(fx_.frame_indices[2], 0.25, 0.40, 0.50, 0.20, "THE END")};
    fx_.store->save_model_run(fx_.title_id, ocr);
}

void TestTitleTexts::init()
{
    for (const TitleText& t : fx_.store->title_texts(fx_.title_id)) fx_.store->delete_title_text(t.id);
    window_ = std::make_unique<MainWindow>(fx_.store);
    window_->resize(1400, 900);
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
    window_->showView(QStringLiteral("title"));
    window_->selectTitle(fx_.title_id);
    QTRY_VERIFY(view()->titleId() == fx_.title_id && !view()->isLoading());
    waitForTexts();
    // The texts tab in front for the tests that click in it; the transcript tests bring theirs.
    view()->sideTabs()->setCurrentIndex(1);
}

void TestTitleTexts::cleanup()
{
    if (window_) QVERIFY(window_->session()->waitForIdle());
    window_.reset();
}

void TestTitleTexts::waitForTexts()
{
    QVERIFY(window_->session()->waitForIdle());
    QTRY_VERIFY(texts()->titleId() == fx_.title_id && !texts()->isLoading());
}

std::vector<TitleText> TestTitleTexts::stored(const std::string& kind) const
{
    std::vector<TitleText> out;
    for (const TitleText& t : fx_.store->title_texts(fx_.title_id))
        if (t.kind == kind) out.push_back(t);
    return out;
}

double TestTitleTexts::ptsOf(int64_t frame_index) const
{
    for (const FrameRecord& f : fx_.store->frames(fx_.title_id))
        if (f.frame_index == frame_index) return f.pts_s;
    return -1;
}

void TestTitleTexts::transcriptPrefersSubtitles()
{
    TranscriptPanel* panel = view()->transcriptPanel();
    // English speech gives way to the English subtitles; French speech has none, so it stays (as scene search).
    QCOMPARE(panel->lineCount(), 3);
    QCOMPARE(panel->lineText(0), QStringLiteral("Hello there, detective."));  // the cue's line break: one row
    QCOMPARE(panel->lineStart(0), 0.5);
    QCOMPARE(panel->lineText(1), QStringLiteral("bonjour"));
    QCOMPARE(panel->lineText(2), QStringLiteral("Where is the car?"));
    QCOMPARE(panel->lineStart(2), 2.5);
    QCOMPARE(preferred_transcript(fx_.store->transcript(fx_.title_id)).size(), size_t(3));
    QCOMPARE(panel->currentLine(), -1);  // at 0 s nothing is said yet

    // The same lines in a Dialogue lane under the speech and music lanes, on the strip's time axis; a click seeks.
    TimelineLanes* lanes = view()->lanes();
    const int dialogue = lanes->laneIndex(QStringLiteral("dialogue"));
    QVERIFY(dialogue > lanes->laneIndex(QStringLiteral("music")));
    QCOMPARE(lanes->lane(dialogue)->items.size(), size_t(3));
    QCOMPARE(lanes->lane(dialogue)->items[2].label, QStringLiteral("Where is the car?"));
    const QRect shot2 = view()->timeline()->shotRect(2);  // 2.0-3.0 s
    const QRect where = lanes->itemRect(dialogue, 2);      // 2.5-3.5 s
    QVERIFY2(qAbs(where.left() - (shot2.left() + shot2.width() / 2)) <= 2,
             qPrintable(QStringLiteral("%1 vs shot 2 at %2-%3").arg(where.left()).arg(shot2.left()).arg(shot2.right())));
    QTest::mouseClick(lanes, Qt::LeftButton, {}, where.center());
    QCOMPARE(view()->player()->requestedPositionMs(), qint64(2500));
    QCOMPARE(panel->currentLine(), 2);
}

void TestTitleTexts::clickingATranscriptLineSeeks()
{
    TranscriptPanel* panel = view()->transcriptPanel();
    view()->sideTabs()->setCurrentWidget(panel);
    const QRect r = panel->lineRect(2);
    QVERIFY(!r.isEmpty());
    QTest::mouseClick(panel->list()->viewport(), Qt::LeftButton, {}, r.center());
    QCOMPARE(view()->player()->requestedPositionMs(), qint64(2500));
    QCOMPARE(view()->timeline()->selectedShot(), 2);  // 2.5 s lies in shot 2 (frames 50-74)
    QCOMPARE(panel->currentLine(), 2);
    // The playhead moving elsewhere moves the highlight, without seeking.
    view()->seekToTime(0.7);
    QCOMPARE(panel->currentLine(), 0);
    QCOMPARE(view()->player()->requestedPositionMs(), qint64(700));
    view()->seekToTime(1.8);  // between lines
    QCOMPARE(panel->currentLine(), -1);
    // Enter on a line seeks too.
    panel->list()->setFocus();
    panel->list()->setCurrentItem(panel->list()->topLevelItem(1));
    QTest::keyClick(panel->list(), Qt::Key_Return);
    QCOMPARE(view()->player()->requestedPositionMs(), qint64(2000));
}

void TestTitleTexts::transcriptTrackChoice()
{
    TranscriptPanel* panel = view()->transcriptPanel();
    view()->sideTabs()->setCurrentWidget(panel);
    QComboBox* box = panel->trackBox();
    QCOMPARE(box->count(), 4);  // as search, speech·eng, speech·fra, subtitles·eng (store order)
    int speech_eng = -1;
    for (int i = 0; i < box->count(); ++i)
        if (box->itemText(i).contains(QStringLiteral("speech")) && box->itemText(i).endsWith(QStringLiteral("eng")))
            speech_eng = i;
    QVERIFY(speech_eng > 0);
    box->setCurrentIndex(speech_eng);
    QCOMPARE(panel->lineCount(), 1);
    QCOMPARE(panel->lineText(0), QStringLiteral("hello there detective"));
    QVERIFY(panel->list()->topLevelItem(0)->toolTip(1).contains(QStringLiteral("detective (0.70)")));  // word timings
    box->setCurrentIndex(0);
    QCOMPARE(panel->lineCount(), 3);
}

void TestTitleTexts::screenTextBoxesOverTheStill()
{
    PlayerView* player = view()->player();
    QCheckBox* toggle = view()->screenTextCheckBox();
    QCOMPARE(view()->screenTextLineCount(), 3);
    QVERIFY(toggle->isEnabled() && toggle->isChecked());
    QVERIFY(toggle->text().contains(QStringLiteral("3")));

    view()->seekToTime(ptsOf(fx_.frame_indices[0]));
    QCOMPARE(view()->posterFrameIndex(), fx_.frame_indices[0]);
    QCOMPARE(player->overlayBoxes().size(), 2);
    QTRY_VERIFY(!player->posterImage().isNull());  // the thumbnail comes from the loader
    QTRY_COMPARE(player->overlayRects().size(), 2);
    // Where the frame's fractions put them on the still (the label centres it, keeping the aspect ratio).
    const QPixmap shown = static_cast<QLabel*>(player->posterWidget())->pixmap();
    const QSize area = player->posterWidget()->size();
    const QPoint offset((area.width() - shown.width()) / 2, (area.height() - shown.height()) / 2);
    int police_row = -1;  // rects come in the boxes' order (the store's: top to bottom)
    for (int i = 0; i < player->overlayBoxes().size(); ++i)
        if (player->overlayBoxes()[i].text == QStringLiteral("POLICE LINE")) police_row = i;
    QCOMPARE(police_row, 1);
    const QRect police = player->overlayRects()[police_row];
    QVERIFY2(qAbs(police.left() - offset.x() - 0.10 * shown.width()) <= 2 &&
                 qAbs(police.width() - 0.50 * shown.width()) <= 2 &&
                 qAbs(police.top() - offset.y() - 0.70 * shown.height()) <= 2,
             qPrintable(QStringLiteral("box %1,%2 %3x%4 on a %5x%6 still at %7,%8")
                            .arg(police.left()).arg(police.top()).arg(police.width()).arg(police.height())
                            .arg(shown.width()).arg(shown.height()).arg(offset.x()).arg(offset.y())));
    // Drawn into the picture: the box's outline is yellow there.
    const QImage image = shown.toImage();
    const QColor edge = image.pixelColor(police.left() - offset.x(), police.center().y() - offset.y());
    QVERIFY2(edge.red() > 200 && edge.green() > 170 && edge.blue() < 90, qPrintable(edge.name()));

    toggle->setChecked(false);
    QVERIFY(!player->overlayVisible());
    QCOMPARE(player->overlayRects().size(), 0);
    const QColor plain = static_cast<QLabel*>(player->posterWidget())->pixmap().toImage().pixelColor(
        police.left() - offset.x(), police.center().y() - offset.y());
    QVERIFY2(plain != edge, qPrintable(plain.name()));
    toggle->setChecked(true);
    QCOMPARE(player->overlayRects().size(), 2);

    view()->seekToTime(ptsOf(fx_.frame_indices[1]));  // a frame without text
    QCOMPARE(view()->posterFrameIndex(), fx_.frame_indices[1]);
    QCOMPARE(player->overlayBoxes().size(), 0);
    QCOMPARE(player->overlayRects().size(), 0);
    view()->seekToTime(ptsOf(fx_.frame_indices[2]));
    QCOMPARE(player->overlayBoxes().size(), 1);
    QCOMPARE(player->overlayBoxes()[0].text, QStringLiteral("THE END"));
}

void TestTitleTexts::synopsisEditIsStoredAndUndoable()
{
    QUndoStack* undo = window_->session()->undoStack();
    texts()->synopsisEditor()->setPlainText(QStringLiteral("A detective chases a stolen car through the city."));
    QTest::mouseClick(texts()->findChild<QPushButton*>(QStringLiteral("saveSynopsis")), Qt::LeftButton);
    QCOMPARE(undo->count(), 1);
    waitForTexts();
    auto synopses = stored("synopsis");
    QCOMPARE(synopses.size(), size_t(1));
    QCOMPARE(synopses[0].text, std::string("A detective chases a stolen car through the city."));
    QCOMPARE(synopses[0].source, std::string("human"));
    // Keywords, the one naming a tag of the title linked to it.
    QTRY_VERIFY2(texts()->synopsisKeywordsLabel()->text().contains(QStringLiteral("(→ tag car)")),
                 qPrintable(texts()->synopsisKeywordsLabel()->text()));

    // A second edit replaces it (as the CLI's --synopsis), and Ctrl+Z brings the first back.
    texts()->synopsisEditor()->setPlainText(QStringLiteral("Two partners hunt a smuggler."));
    texts()->saveSynopsis();
    waitForTexts();
    synopses = stored("synopsis");
    QCOMPARE(synopses.size(), size_t(1));
    QCOMPARE(synopses[0].text, std::string("Two partners hunt a smuggler."));
    undo->undo();
    waitForTexts();
    synopses = stored("synopsis");
    QCOMPARE(synopses.size(), size_t(1));
    QCOMPARE(synopses[0].text, std::string("A detective chases a stolen car through the city."));
    QTRY_COMPARE(texts()->synopsisEditor()->toPlainText(), QStringLiteral("A detective chases a stolen car through the city."));
    undo->redo();
    waitForTexts();
    QCOMPARE(stored("synopsis").at(0).text, std::string("Two partners hunt a smuggler."));
}

void TestTitleTexts::reviewsAddDeleteWithLexiconSentiment()
{
    QUndoStack* undo = window_->session()->undoStack();
    QTreeWidget* list = texts()->reviewList();
    texts()->reviewEditor()->setPlainText(QStringLiteral("A really wonderful film: tense, and beautifully shot."));
    QTest::mouseClick(texts()->findChild<QPushButton*>(QStringLiteral("addReview")), Qt::LeftButton);
    QVERIFY(texts()->reviewEditor()->toPlainText().isEmpty());
    texts()->reviewEditor()->setPlainText(QStringLiteral("Boring and far too long, a waste of time."));
    texts()->addReview();
    waitForTexts();
    QCOMPARE(stored("review").size(), size_t(2));
    QTRY_COMPARE(list->topLevelItemCount(), 2);
    QVERIFY2(list->topLevelItem(0)->text(1).startsWith(QStringLiteral("positive +")), qPrintable(list->topLevelItem(0)->text(1)));
    QVERIFY2(list->topLevelItem(0)->toolTip(1).startsWith(QStringLiteral("positive +0.")) &&
                 list->topLevelItem(0)->toolTip(1).contains(QStringLiteral("(lexicon sentiment)")) &&
                 list->topLevelItem(0)->toolTip(1).contains(QStringLiteral("wonderful")),
             qPrintable(list->topLevelItem(0)->toolTip(1)));
    QVERIFY2(list->topLevelItem(1)->text(1).startsWith(QStringLiteral("negative -")), qPrintable(list->topLevelItem(1)->text(1)));
    QVERIFY(list->topLevelItem(0)->text(2).contains(QStringLiteral("tense (→ tag tense)")));  // keyword -> mood tag
    QVERIFY(list->headerItem()->text(1).contains(QStringLiteral("Lexicon sentiment")));

    list->setCurrentItem(list->topLevelItem(0));
    QVERIFY(texts()->findChild<QPushButton*>(QStringLiteral("deleteReview"))->isEnabled());
    QTest::mouseClick(texts()->findChild<QPushButton*>(QStringLiteral("deleteReview")), Qt::LeftButton);
    waitForTexts();
    auto reviews = stored("review");
    QCOMPARE(reviews.size(), size_t(1));
    QCOMPARE(reviews[0].text, std::string("Boring and far too long, a waste of time."));
    QTRY_COMPARE(list->topLevelItemCount(), 1);

    undo->undo();  // the deleted review is back, as it was
    waitForTexts();
    reviews = stored("review");
    QCOMPARE(reviews.size(), size_t(2));
    QTRY_COMPARE(list->topLevelItemCount(), 2);
    undo->undo();  // the second add
    undo->undo();  // the first add
    waitForTexts();
    QCOMPARE(stored("review").size(), size_t(0));
    QTRY_COMPARE(list->topLevelItemCount(), 0);
    for (int i = 0; i < 3; ++i) undo->redo();  // add, add, delete again: the same texts, found again by content
    waitForTexts();
    reviews = stored("review");
    QCOMPARE(reviews.size(), size_t(1));
    QCOMPARE(reviews[0].text, std::string("Boring and far too long, a waste of time."));
}

void TestTitleTexts::metadataDescriptionShown()
{
    TitleText d;
    d.title_id = fx_.title_id;
    d.kind = "description";
    d.source = "metadata";
    d.language = "eng";
    d.text = "Four coloured test cards, one after the other.";
    fx_.store->add_title_text(d);
    TitleText s = d;
    s.kind = "synopsis";
    s.text = "A car drives through four colours.";
    fx_.store->add_title_text(s);
    texts()->reload();
    waitForTexts();
    QVERIFY(texts()->descriptionLabel()->text().contains(QStringLiteral("Four coloured test cards")));
    QCOMPARE(texts()->synopsisEditor()->toPlainText(), QStringLiteral("A car drives through four colours."));
    // Saving a person's synopsis keeps the file's one.
    texts()->synopsisEditor()->setPlainText(QStringLiteral("A car chase in four colours."));
    texts()->saveSynopsis();
    waitForTexts();
    const auto synopses = stored("synopsis");
    QCOMPARE(synopses.size(), size_t(2));
    QCOMPARE(synopses[0].source, std::string("metadata"));
    QCOMPARE(synopses[1].source, std::string("human"));
    QCOMPARE(synopses[1].language, std::string("eng"));
    QCOMPARE(texts()->synopsisEditor()->toPlainText(), QStringLiteral("A car chase in four colours."));
}

void TestTitleTexts::badInputsAreRefused()
{
    QUndoStack* undo = window_->session()->undoStack();
    texts()->reviewEditor()->setPlainText(QStringLiteral("   \n\t "));
    texts()->addReview();
    QVERIFY2(texts()->message().contains(QStringLiteral("review is empty")), qPrintable(texts()->message()));
    QCOMPARE(undo->count(), 0);
    texts()->synopsisEditor()->setPlainText(QString());
    texts()->saveSynopsis();
    QVERIFY2(texts()->message().contains(QStringLiteral("synopsis is empty")), qPrintable(texts()->message()));
    texts()->reviewList()->clearSelection();
    texts()->deleteSelectedReview();
    QVERIFY(texts()->message().contains(QStringLiteral("Select the review")));
    QCOMPARE(undo->count(), 0);
    QVERIFY(window_->session()->waitForIdle());
    QCOMPARE(stored("review").size(), size_t(0));
    QCOMPARE(stored("synopsis").size(), size_t(0));

    texts()->synopsisEditor()->setPlainText(QStringLiteral("Same text."));
    texts()->saveSynopsis();
    waitForTexts();
    texts()->synopsisEditor()->setPlainText(QStringLiteral("Same text.  "));
    texts()->saveSynopsis();
    QCOMPARE(texts()->message(), QStringLiteral("The synopsis is unchanged."));
    QCOMPARE(undo->count(), 1);

    // A title text deleted elsewhere before this window's delete: the store's one-line reason is shown.
    texts()->reviewEditor()->setPlainText(QStringLiteral("Fine."));
    texts()->addReview();
    waitForTexts();
    QTRY_COMPARE(texts()->reviewList()->topLevelItemCount(), 1);
    fx_.store->delete_title_text(stored("review").at(0).id);
    texts()->reviewList()->setCurrentItem(texts()->reviewList()->topLevelItem(0));
    texts()->deleteSelectedReview();
    QVERIFY(window_->session()->waitForIdle());
    QTRY_VERIFY2(texts()->message().contains(QStringLiteral("was not saved")) &&
                     texts()->message().contains(QStringLiteral("no longer in the database")),
                 qPrintable(texts()->message()));
    QTRY_COMPARE(texts()->reviewList()->topLevelItemCount(), 0);  // read again
}

void TestTitleTexts::grabForScreenshots()
{
    // FRAMELINE_H8_GRAB=DIR: pictures of the workspace, and the database for `frameline --screenshot`.
    const QString dir = qEnvironmentVariable("FRAMELINE_H8_GRAB");
    if (dir.isEmpty()) QSKIP("set FRAMELINE_H8_GRAB to a folder to keep pictures");
    texts()->synopsisEditor()->setPlainText(QStringLiteral("A detective chases a stolen car through the city."));
    texts()->saveSynopsis();
    texts()->reviewEditor()->setPlainText(QStringLiteral("A really wonderful film: tense, and beautifully shot."));
    texts()->addReview();
    texts()->reviewEditor()->setPlainText(QStringLiteral("Boring and far too long, a waste of time."));
    texts()->addReview();
    waitForTexts();
    view()->sideTabs()->setCurrentWidget(view()->transcriptPanel());
    view()->seekToTime(ptsOf(fx_.frame_indices[0]) + 0.6);
    QTest::qWait(600);
    QVERIFY(window_->grab().save(dir + QStringLiteral("/h8-transcript.png")));
    view()->sideTabs()->setCurrentIndex(1);
    QTest::qWait(200);
    QVERIFY(window_->grab().save(dir + QStringLiteral("/h8-texts.png")));
    view()->sideTabs()->setCurrentWidget(view()->transcriptPanel());
}

QTEST_MAIN(TestTitleTexts)
#include "tst_title_texts.moc"
