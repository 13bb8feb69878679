// On-screen text (issue #8 item 4): ScreenTextReader on frames with text drawn by FFmpeg (drawtext, DejaVu fonts from
// fonts-dejavu-core), over black, white, synthetic and real pictures (FRAMELINE_TESTDATA's testvideo.mp4), with the
// exact strings and the boxes where they were drawn; frames without text; bad inputs; one reader per thread.
#include <QTemporaryDir>
#include <QtTest>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "core/media/png.h"
#include "core/ocr/ocr_pass.h"
#include "core/ocr/screen_text_reader.h"
#include "tests/support/fixtures.h"
#include "tests/support/testdata.h"

using namespace frameline;

namespace {

const QString kFonts = "/usr/share/fonts/truetype/dejavu/";

QString escaped(QString text) { return text.replace(":", "\\:").replace("'", "\\'"); }

// A drawtext filter: `text` in `font` at `size` px, at x, y (expressions).
QString draw(const QString& text, const QString& font, int size, const QString& colour, const QString& x,
             const QString& y, const QString& extra = "") {
    return QString("drawtext=fontfile=%1%2:text='%3':fontcolor=%4:fontsize=%5:x=%6:y=%7%8")
        .arg(kFonts, font, escaped(text), colour)
        .arg(size)
        .arg(x, y, extra);
}

struct Fixture {
    QString name;
    QString source;  // a lavfi source, or a media file (then `seek_s`)
    QStringList filters;
    QStringList lines;  // the text drawn, line by line
    double seek_s = 0;
};

// The frames the reader is measured on (word recall and precision below).
std::vector<Fixture> fixtures(const QString& testvideo) {
    const QString sans = "DejaVuSans.ttf", bold = "DejaVuSans-Bold.ttf", serif = "DejaVuSerif.ttf";
    std::vector<Fixture> f;
    f.push_back({"card", "color=c=black:s=1280x720",
                 {draw("Directed by Jane Doe", sans, 40, "white", "100", "200"),
                  draw("Music by JOHN SMITH", sans, 40, "white", "100", "300")},
                 {"Directed by Jane Doe", "Music by JOHN SMITH"}});
    f.push_back({"card_1080p", "color=c=0x101020:s=1920x1080",
                 {draw("Produced by", serif, 40, "white", "(w-tw)/2", "420"),
                  draw("MARGARET OKAFOR", "DejaVuSerif-Bold.ttf", 64, "white", "(w-tw)/2", "500")},
                 {"Produced by", "MARGARET OKAFOR"}});
    const QStringList cast = {"Cast",         "Alice Walker", "Robert Brown",  "Maria Garcia", "Thomas Lee",
                              "Sarah Johnson", "David Wilson", "Emma Thompson", "James Carter", "Olivia Martin"};
    QStringList roll;
    for (int i = 0; i < cast.size(); ++i)
        roll << draw(cast[i], serif, 28, "white", "(w-tw)/2", QString::number(60 + 60 * i));
    f.push_back({"roll", "color=c=black:s=1280x720", roll, cast});
    const QStringList crew = {"Camera Operator Lena Fischer", "Gaffer Paul Novak", "Sound Mixer Ravi Patel",
                              "Editor Chloe Dubois"};
    QStringList small;
    for (int i = 0; i < crew.size(); ++i)
        small << draw(crew[i], sans, 18, "white", "(w-tw)/2", QString::number(100 + 36 * i));
    f.push_back({"roll_480p", "color=c=black:s=854x480", small, crew});
    f.push_back({"dark_on_light", "color=c=white:s=1280x720",
                 {draw("Chapter Seven", sans, 48, "black", "400", "320")}, {"Chapter Seven"}});
    f.push_back({"lower_third", "mandelbrot=s=960x540",
                 {draw("BREAKING NEWS Markets rally", bold, 32, "yellow", "40", "440",
                       ":box=1:boxcolor=black@0.7:boxborderw=8")},
                 {"BREAKING NEWS Markets rally"}});
    f.push_back({"tiny_180p", "testsrc2=s=320x180",
                 {draw("Exit 42 Berlin", bold, 16, "white", "20", "140", ":borderw=1:bordercolor=black")},
                 {"Exit 42 Berlin"}});
    f.push_back({"screen", "color=c=0x002200:s=1280x720",
                 {draw("ACCESS GRANTED 7731", "DejaVuSansMono.ttf", 30, "0x40ff40", "200", "300")},
                 {"ACCESS GRANTED 7731"}});
    if (!testvideo.isEmpty()) {
        // Real footage (its own watermark "Copyright © 2013 Brandon Castellano www.bcastell.com" is not counted).
        f.push_back({"subtitle_photo_360p", testvideo,
                     {"scale=640:360", draw("I will be back before dawn", sans, 20, "white", "(w-tw)/2", "200",
                                            ":borderw=2:bordercolor=black")},
                     {"I will be back before dawn"}, 2.0});
        f.push_back({"sign_photo", testvideo,
                     {"scale=1280:720", draw("HOTEL PARADISO", bold, 44, "white", "120", "120",
                                             ":box=1:boxcolor=0x802020:boxborderw=12")},
                     {"HOTEL PARADISO"}, 5.0});
        f.push_back({"photo_without_text", testvideo, {"crop=1280:560:0:0"}, {}, 9.0});
        // Film footage with its own screen text ("NATALYA OFFLINE", "> Send Spike": not counted) and a subtitle.
        const QString film = QFileInfo(testvideo).dir().filePath("goldeneye-vfr-drop3.mp4");
        if (QFile::exists(film))
            f.push_back({"subtitle_film", film,
                         {draw("I never miss", sans, 36, "white", "(w-tw)/2", "470", ":borderw=2:bordercolor=black")},
                         {"I never miss"}, 2.0});
    }
    // Hard: outlined white text across black, grey and white bars (half of it is read).
    f.push_back({"subtitle_bars", "smptehdbars=s=640x360",
                 {draw("Where are you going tonight", sans, 24, "white", "(w-tw)/2", "310",
                       ":borderw=2:bordercolor=black")},
                 {"Where are you going tonight"}});
    f.push_back({"bars", "smptehdbars=s=1280x720", {"null"}, {}});
    f.push_back({"fractal", "mandelbrot=s=1280x720", {"null"}, {}});
    f.push_back({"gradients", "gradients=s=1280x720:n=5", {"null"}, {}});
    return f;
}

std::vector<std::string> words_of(const std::string& s) {
    std::istringstream in(s);
    std::vector<std::string> out;
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

// Text that is in the real footage itself: neither wanted nor counted against the reader.
const std::set<std::string> kWatermark = {"Copyright", "©",       "2013", "Brandon", "Castellano", "www.bcastell.com",
                                          "NATALYA",   "OFFLINE", ">",    "Send",    "Spike"};

}  // namespace

class TestScreenText : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::unique_ptr<ScreenTextReader> reader_;

    RgbImage frame(const Fixture& f) {
        const QString png = dir_.filePath(f.name + ".png");
        QStringList args;
        if (f.source.contains('/')) args << "-ss" << QString::number(f.seek_s) << "-i" << f.source;
        else args << "-f" << "lavfi" << "-i" << f.source;
        args << "-vf" << f.filters.join(",") << "-frames:v" << "1" << png;
        const QString error = test::run_ffmpeg(args);
        if (!error.isEmpty()) qWarning() << f.name << error;
        QFile file(png);
        if (!file.open(QIODevice::ReadOnly)) return {};
        const QByteArray bytes = file.readAll();
        return decode_png(std::vector<uint8_t>(bytes.begin(), bytes.end()));
    }

    Fixture fixture(const QString& name) {
        for (const Fixture& f : fixtures(test::testdata_file("pyscenedetect/testvideo.mp4")))
            if (f.name == name) return f;
        return {};
    }

private Q_SLOTS:
    void initTestCase() {
        if (!QFile::exists(kFonts + "DejaVuSans.ttf")) QSKIP("needs fonts-dejavu-core (scripts/debian-packages.txt)");
        reader_ = std::make_unique<ScreenTextReader>();
        QVERIFY(!ScreenTextReader::engine_version().empty());
    }

    // The exact lines, top to bottom, with boxes where drawtext put them.
    void readsACreditCardWithBoxes() {
        const std::vector<ScreenText> lines = reader_->read(frame(fixture("card")));
        QCOMPARE(int(lines.size()), 2);
        QCOMPARE(lines[0].text, std::string("Directed by Jane Doe"));
        QCOMPARE(lines[1].text, std::string("Music by JOHN SMITH"));
        // drawtext's x, y is the text box's top-left: 100, 200 and 100, 300 of 1280x720; the glyphs start there.
        QVERIFY2(qAbs(lines[0].x - 100.0 / 1280) < 0.006, qPrintable(QString::number(lines[0].x)));
        QVERIFY2(qAbs(lines[0].y - 200.0 / 720) < 0.015, qPrintable(QString::number(lines[0].y)));
        QVERIFY2(qAbs(lines[1].x - 100.0 / 1280) < 0.006, qPrintable(QString::number(lines[1].x)));
        QVERIFY2(qAbs(lines[1].y - 300.0 / 720) < 0.015, qPrintable(QString::number(lines[1].y)));
        // 40 px type: the line with descenders ("y") is about 40 px of 720 high, and ~330 px of 1280 wide.
        for (const ScreenText& l : lines) {
            QVERIFY2(l.height > 25.0 / 720 && l.height < 50.0 / 720, qPrintable(QString::number(l.height)));
            QVERIFY2(l.width > 300.0 / 1280 && l.width < 460.0 / 1280, qPrintable(QString::number(l.width)));
            QVERIFY(l.confidence > 0.9 && l.confidence <= 1.0);
        }
    }

    void readsTextOnEveryBackground_data() {
        QTest::addColumn<QString>("name");
        for (const char* name : {"card_1080p", "roll", "roll_480p", "dark_on_light", "lower_third", "tiny_180p",
                                 "screen"})
            QTest::newRow(name) << QString(name);
    }
    void readsTextOnEveryBackground() {
        QFETCH(QString, name);
        const Fixture f = fixture(name);
        std::vector<std::string> read;
        for (const ScreenText& l : reader_->read(frame(f))) read.push_back(l.text);
        std::vector<std::string> drawn;
        for (const QString& l : f.lines) drawn.push_back(l.toStdString());
        QCOMPARE(read, drawn);
    }

    void picturesWithoutTextReadNothing_data() {
        QTest::addColumn<QString>("name");
        for (const char* name : {"bars", "fractal", "gradients"}) QTest::newRow(name) << QString(name);
    }
    void picturesWithoutTextReadNothing() {
        QFETCH(QString, name);
        const std::vector<ScreenText> lines = reader_->read(frame(fixture(name)));
        QStringList junk;
        for (const ScreenText& l : lines) junk << QString::fromStdString(l.text);
        QVERIFY2(lines.empty(), qPrintable(junk.join(" | ")));
    }

    void badInputsReadNothing() {
        QVERIFY(reader_->read(RgbImage{}).empty());
        RgbImage tiny{4, 4, std::vector<uint8_t>(4 * 4 * 3, 255)};
        QVERIFY(reader_->read(tiny).empty());
        RgbImage short_buffer{640, 360, std::vector<uint8_t>(100, 0)};  // says 640x360, holds 100 bytes
        QVERIFY(reader_->read(short_buffer).empty());
        RgbImage black{640, 360, std::vector<uint8_t>(640 * 360 * 3, 0)};
        QVERIFY(reader_->read(black).empty());
        RgbImage white{1920, 1080, std::vector<uint8_t>(1920 * 1080 * 3, 255)};
        QVERIFY(reader_->read(white).empty());
        RgbImage noise{320, 180, std::vector<uint8_t>(320 * 180 * 3)};
        uint32_t seed = 7;
        for (uint8_t& v : noise.rgb) v = static_cast<uint8_t>((seed = seed * 1664525u + 1013904223u) >> 24);
        QVERIFY(reader_->read(noise).empty());
        // A missing language model is an error naming what to install, not a crash.
        ScreenTextOptions klingon;
        klingon.language = "tlh";
        try {
            ScreenTextReader reader(klingon);
            QFAIL("a reader without its model was made");
        } catch (const std::exception& e) {
            QVERIFY2(QString(e.what()).contains("tesseract-ocr-tlh"), e.what());
        }
    }

    // One engine per thread: readers on two threads at once read what one reader reads alone.
    void oneReaderPerThread() {
        const RgbImage card = frame(fixture("card")), roll = frame(fixture("roll"));
        const std::vector<ScreenText> card_alone = reader_->read(card), roll_alone = reader_->read(roll);
        std::vector<ScreenText> card_threaded, roll_threaded;
        {
            std::jthread a([&] { card_threaded = ScreenTextReader().read(card); });
            std::jthread b([&] { roll_threaded = ScreenTextReader().read(roll); });
        }
        QCOMPARE(card_threaded.size(), card_alone.size());
        QCOMPARE(roll_threaded.size(), roll_alone.size());
        for (size_t i = 0; i < card_alone.size(); ++i) QCOMPARE(card_threaded[i].text, card_alone[i].text);
        for (size_t i = 0; i < roll_alone.size(); ++i) QCOMPARE(roll_threaded[i].text, roll_alone[i].text);
    }

    // The OCR step's gate (ocr_pass.h): every frame with text passes it, every frame without does not.
    void gatePassesEveryFrameWithText() {
        const double gate = OcrPassOptions{}.min_text_likeness;
        for (const Fixture& f : fixtures(test::testdata_file("pyscenedetect/testvideo.mp4"))) {
            const double likeness = picture_text_likeness(frame(f));
            const bool text = !f.lines.isEmpty();
            QVERIFY2(text ? likeness >= gate : likeness < gate,
                     qPrintable(QString("%1: text likeness %2").arg(f.name).arg(likeness)));
        }
    }

    // Word recall and precision over every fixture, printed; the watermark of the real footage is neither wanted
    // nor counted against the reader.
    void accuracyOverTheFixtures() {
        const QString testvideo = test::testdata_file("pyscenedetect/testvideo.mp4");
        if (testvideo.isEmpty()) qInfo() << "FRAMELINE_TESTDATA not set: the real-footage fixtures are left out";
        int drawn = 0, found = 0, read = 0, right = 0;
        QElapsedTimer clock;
        qint64 ms = 0;
        for (const Fixture& f : fixtures(testvideo)) {
            const RgbImage image = frame(f);
            clock.start();
            const std::vector<ScreenText> lines = reader_->read(image);
            ms += clock.elapsed();
            std::map<std::string, int> want;
            for (const QString& l : f.lines)
                for (const std::string& w : words_of(l.toStdString())) ++want[w], ++drawn;
            std::map<std::string, int> have;
            QStringList seen;
            for (const ScreenText& l : lines) {
                seen << QString::fromStdString(l.text);
                for (const std::string& w : words_of(l.text)) {
                    ++read;
                    right += want.count(w) || kWatermark.count(w);
                    ++have[w];
                }
            }
            for (const auto& [w, n] : want) found += std::min(n, have[w]);
            qInfo().noquote() << f.name << "->" << seen.join(" | ");
        }
        const double recall = double(found) / drawn, precision = read ? double(right) / read : 1.0;
        qInfo().noquote() << QString("OCR word recall %1/%2 = %3, precision %4/%5 = %6, %7 ms per frame")
                                 .arg(found).arg(drawn).arg(recall, 0, 'f', 3)
                                 .arg(right).arg(read).arg(precision, 0, 'f', 3)
                                 .arg(double(ms) / fixtures(testvideo).size(), 0, 'f', 0);
        QVERIFY2(recall >= 0.85, qPrintable(QString::number(recall)));
        QVERIFY2(precision >= 0.9, qPrintable(QString::number(precision)));
    }
};

QTEST_GUILESS_MAIN(TestScreenText)
#include "tst_screen_text.moc"
