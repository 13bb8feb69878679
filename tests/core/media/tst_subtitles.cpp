// Subtitles as transcript sources (issue #8 item 3): embedded text streams (SubRip, mov_text, ASS, WebVTT) decoded
// with their exact cue times, bitmap streams listed and skipped, sidecar .srt/.vtt files with the language from their
// name and every encoding and damage they come with, and the ingest step that stores them as the "subtitles" run.
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <functional>
#include <random>

#include "core/error.h"
#include "core/media/sidecar_subtitles.h"
#include "core/media/subtitle_reader.h"
#include "core/media/subtitle_text.h"
#include "core/pipeline/subtitle_step.h"
#include "core/store/store.h"
#include "tests/support/fixtures.h"
#include "tests/support/ready_title.h"
#include "tests/support/error_of.h"

using namespace frameline;
using test::error_of;

namespace {

struct Cue {
    double start_s;
    double end_s;
    std::string text;
};

// The cues of the SubRip fixture, as muxed (times) and as read (text without markup).
const std::vector<Cue> kCues = {{0.500, 1.250, "Hello world"}, {1.700, 2.900, "Second line\nand more"}};

// CRLF line ends and markup, as many real .srt files have them.
const char* kSrt =
    "1\r\n00:00:00,500 --> 00:00:01,250\r\nHello <i>world</i>\r\n\r\n"
    "2\r\n00:00:01,700 --> 00:00:02,900\r\nSecond line\r\nand more\r\n";

const char* kVtt =
    "WEBVTT - made by tst_subtitles\n\n"
    "NOTE a comment that is not a cue\n\n"
    "intro\n00:00.500 --> 00:01.250 align:start position:10%\n<v Bob>Hello</v> <c.yellow>world</c>\n\n"
    "00:00:01.700 --> 00:00:02.900\nSecond line\nand more\n";

const char* kAss =
    "[Script Info]\nScriptType: v4.00+\nPlayResX: 384\nPlayResY: 288\n\n[V4+ Styles]\n"
    "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, "
    "Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, "
    "MarginV, Encoding\n"
    "Style: Default,Arial,16,&Hffffff,&Hffffff,&H0,&H0,0,0,0,0,100,100,0,0,1,1,0,2,10,10,10,0\n\n[Events]\n"
    "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
    "Dialogue: 0,0:00:00.50,0:00:01.25,Default,,0,0,0,,{\\an8\\b1}Hello, {\\i1}world{\\i0}\\NNext line\n"
    "Dialogue: 0,0:00:01.70,0:00:02.90,Default,,0,0,0,,{\\p1}m 0 0 l 10 0 10 10{\\p0}Drawn{\\pos(10,20)}\\htext\n";

bool write_file(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly)) return false;
    return f.write(bytes) == bytes.size();
}

// A minimal PGS (Blu-ray bitmap subtitle) stream: one 4x2 picture shown at 0.5 s, cleared at 1 s.
QByteArray pgs_stream() {
    const auto be = [](QByteArray& b, uint32_t v, int bytes) {
        for (int i = bytes - 1; i >= 0; --i) b.append(char((v >> (8 * i)) & 0xFF));
    };
    const auto segment = [&](uint32_t pts, uint8_t type, const QByteArray& payload) {
        QByteArray s("PG");
        be(s, pts, 4);
        be(s, 0, 4);
        s.append(char(type));
        be(s, uint32_t(payload.size()), 2);
        return s + payload;
    };
    const auto display_set = [&](uint32_t pts, bool picture) {
        QByteArray pcs;
        be(pcs, 160, 2), be(pcs, 120, 2), pcs.append(char(0x10)), be(pcs, 0, 2), pcs.append(char(0x80));
        pcs.append(char(0)), pcs.append(char(0)), pcs.append(char(picture ? 1 : 0));
        if (picture) be(pcs, 0, 2), pcs.append(char(0)), pcs.append(char(0)), be(pcs, 10, 2), be(pcs, 10, 2);
        QByteArray out = segment(pts, 0x16, pcs);
        QByteArray wds;
        wds.append(char(1)), wds.append(char(0)), be(wds, 10, 2), be(wds, 10, 2), be(wds, 4, 2), be(wds, 2, 2);
        out += segment(pts, 0x17, wds);
        if (picture) {
            out += segment(pts, 0x14, QByteArray::fromHex("0000" "01eb8080ff"));
            const QByteArray rle = QByteArray::fromHex("010101010000" "010101010000");
            QByteArray ods;
            be(ods, 0, 2), ods.append(char(0)), ods.append(char(0xC0)), be(ods, uint32_t(rle.size() + 4), 3);
            be(ods, 4, 2), be(ods, 2, 2);
            out += segment(pts, 0x15, ods + rle);
        }
        return out + segment(pts, 0x80, {});
    };
    return display_set(45000, true) + display_set(90000, false);
}

QString check_cues(const std::vector<TranscriptSegment>& got, const std::vector<Cue>& want, const std::string& source,
                   const std::string& language) {
    if (got.size() != want.size())
        return QString("%1 cues, expected %2").arg(got.size()).arg(want.size());
    for (size_t i = 0; i < want.size(); ++i) {
        const TranscriptSegment& g = got[i];
        if (std::abs(g.start_s - want[i].start_s) > 0.001 || std::abs(g.end_s - want[i].end_s) > 0.001)
            return QString("cue %1 at %2-%3 s, expected %4-%5 s")
                .arg(i).arg(g.start_s, 0, 'f', 4).arg(g.end_s, 0, 'f', 4).arg(want[i].start_s).arg(want[i].end_s);
        if (g.text != want[i].text)
            return QString("cue %1 reads '%2', expected '%3'")
                .arg(i).arg(QString::fromStdString(g.text), QString::fromStdString(want[i].text));
        if (g.source != source || g.language != language)
            return QString("cue %1 is %2/%3").arg(i).arg(QString::fromStdString(g.source),
                                                         QString::fromStdString(g.language));
    }
    return {};
}

SidecarFile sidecar(const QString& path, const std::string& language = "und") {
    SidecarFile f = describe_sidecar(path.toStdString());
    f.language = language;
    return f;
}


}  // namespace

class TestSubtitles : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString srt_, vtt_, ass_;
    QString mkv_;      // video + subrip (fra, forced) + PGS (eng) + ASS (jpn) + WebVTT (ger)
    QString mp4_;      // video + mov_text (eng)

    QString path(const QString& name) const { return dir_.filePath(name); }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        srt_ = path("cues.srt");
        vtt_ = path("cues.vtt");
        ass_ = path("cues.ass");
        QVERIFY(write_file(srt_, kSrt) && write_file(vtt_, kVtt) && write_file(ass_, kAss));
        QVERIFY(write_file(path("bitmap.sup"), pgs_stream()));
        // No audio in these fixtures: AAC's priming delay would shift every stream by ~23 ms in the mux.
        mkv_ = path("subs.mkv");
        QString err = test::run_ffmpeg(
            {"-f", "lavfi", "-i", "testsrc=d=3:s=160x120:r=10", "-i", srt_, "-i", path("bitmap.sup"), "-i", ass_,
             "-i", vtt_, "-map", "0", "-map", "1", "-map", "2", "-map", "3", "-map", "4", "-c:v", "libx264",
             "-preset", "ultrafast", "-c:s:0", "srt", "-c:s:1", "copy", "-c:s:2", "ass", "-c:s:3", "webvtt",
             "-metadata:s:s:0", "language=fra", "-disposition:s:0", "forced", "-metadata:s:s:1", "language=eng",
             "-metadata:s:s:2", "language=jpn", "-metadata:s:s:3", "language=de",
             "-metadata", "synopsis=Cues meet a bitmap.", "-metadata", "description=Subtitle fixture.", mkv_});
        QVERIFY2(err.isEmpty(), qPrintable(err));
        mp4_ = path("subs.mp4");
        err = test::run_ffmpeg({"-f", "lavfi", "-i", "testsrc=d=3:s=160x120:r=10", "-i", srt_, "-c:v", "libx264",
                                "-preset", "ultrafast", "-c:s", "mov_text", "-metadata:s:s:0", "language=eng", mp4_});
        QVERIFY2(err.isEmpty(), qPrintable(err));
    }

    void markupRemoved() {
        QCOMPARE(ass_dialogue_text("0,0,Default,,0,0,0,,{\\an8}Hi {\\i1}there{\\i0}\\Nyou"),
                 std::string("Hi there\nyou"));
        QCOMPARE(ass_dialogue_text("Dialogue: 0,0:00:00.50,0:00:01.25,Default,,0,0,0,,A, B\\hC"),
                 std::string("A, B C"));
        QCOMPARE(ass_dialogue_text("1,0,Default,,0,0,0,,{\\p2}m 0 0 l 1 1{\\p0}Sign"), std::string("Sign"));
        QCOMPARE(ass_dialogue_text("1,0,Default,,0,0,0,,{unclosed"), std::string("{unclosed"));
        QCOMPARE(plain_cue_text("<i>Hi</i> &amp; <font color=\"red\">bye</font>"), std::string("Hi & bye"));
        QCOMPARE(plain_cue_text("<v.loud Bob>Yes</v> <00:00:01.000>no &lt;3 a < b"), std::string("Yes no <3 a < b"));
        QCOMPARE(plain_cue_text("{\\an8}Top\n\n  line two  "), std::string("Top\nline two"));
        QCOMPARE(plain_cue_text("caf&#233; &#x263A;&lrm;"), std::string("caf\xC3\xA9 \xE2\x98\xBA"));
        QCOMPARE(windows1252_to_utf8("Caf\xE9 \x80"), std::string("Caf\xC3\xA9 \xE2\x82\xAC"));
        QVERIFY(is_valid_utf8("Caf\xC3\xA9"));
        QVERIFY(!is_valid_utf8("Caf\xE9"));
        QVERIFY(!is_valid_utf8("\xC3"));          // cut short
        QVERIFY(!is_valid_utf8("\xC0\xAF"));      // overlong
        QVERIFY(!is_valid_utf8("\xED\xA0\x80"));  // a surrogate
    }

    void embeddedTextStreams() {
        const EmbeddedSubtitles e = read_embedded_subtitles(mkv_.toStdString());
        QCOMPARE(e.tracks.size(), size_t(4));
        const SubtitleTrack& srt = e.tracks[0];
        QCOMPARE(srt.stream.codec, std::string("subrip"));
        QVERIFY(srt.stream.forced);
        QVERIFY(srt.skipped.empty());
        QString why = check_cues(srt.cues, kCues, "subtitle", "fre");
        QVERIFY2(why.isEmpty(), qPrintable("SubRip: " + why));

        const SubtitleTrack& pgs = e.tracks[1];
        QCOMPARE(pgs.stream.codec, std::string("hdmv_pgs_subtitle"));
        QCOMPARE(pgs.stream.language, std::string("eng"));
        QVERIFY(!pgs.stream.text);
        QVERIFY2(QString::fromStdString(pgs.skipped).startsWith("not text"), pgs.skipped.c_str());
        QVERIFY(pgs.cues.empty());

        const SubtitleTrack& ass = e.tracks[2];
        QCOMPARE(ass.stream.codec, std::string("ass"));
        why = check_cues(ass.cues, {{0.5, 1.25, "Hello, world\nNext line"}, {1.7, 2.9, "Drawn text"}}, "subtitle",
                         "jpn");
        QVERIFY2(why.isEmpty(), qPrintable("ASS: " + why));

        const SubtitleTrack& vtt = e.tracks[3];
        QCOMPARE(vtt.stream.codec, std::string("webvtt"));
        why = check_cues(vtt.cues, {{0.5, 1.25, "Hello world"}, {1.7, 2.9, "Second line\nand more"}}, "subtitle",
                         "ger");  // tagged "de" in the file
        QVERIFY2(why.isEmpty(), qPrintable("WebVTT: " + why));
        for (const SubtitleTrack& t : e.tracks) QCOMPARE(t.bad_packets, int64_t(0));
        QVERIFY(e.warnings.empty());
        QCOMPARE(e.streams.metadata.texts.size(), size_t(2));
    }

    void embeddedMovText() {
        const EmbeddedSubtitles e = read_embedded_subtitles(mp4_.toStdString());
        QCOMPARE(e.tracks.size(), size_t(1));
        QCOMPARE(e.tracks[0].stream.codec, std::string("mov_text"));
        const QString why = check_cues(e.tracks[0].cues, kCues, "subtitle", "eng");
        QVERIFY2(why.isEmpty(), qPrintable("mov_text: " + why));
    }

    void embeddedNoneOrMissing() {
        const QString clip = test::make_cut_clip(path("plain.mp4"), 1, 10, 10);
        QVERIFY(!clip.isEmpty());
        QVERIFY(read_embedded_subtitles(clip.toStdString()).tracks.empty());
        const QString m = error_of([&] { read_embedded_subtitles(path("missing.mkv").toStdString()); });
        QVERIFY2(m.contains("missing.mkv") && m.contains("no such file"), qPrintable(m));
        const QString text = test::make_text_file(path("notes.mkv"));
        QVERIFY(!error_of([&] { read_embedded_subtitles(text.toStdString()); }).isEmpty());
    }

    // A truncated file and files with damaged bytes: whatever can be read, never a crash; failures are Errors.
    void embeddedDamaged() {
        QFile f(mkv_);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray good = f.readAll();
        QVERIFY(write_file(path("cut.mkv"), good.left(good.size() * 6 / 10)));
        size_t cut_cues = 0;
        for (const SubtitleTrack& t : read_embedded_subtitles(path("cut.mkv").toStdString()).tracks)
            cut_cues += t.cues.size();
        QVERIFY2(cut_cues <= 6, qPrintable(QString::number(cut_cues)));
        std::mt19937 rng(3);
        int read = 0;
        for (int round = 0; round < 30; ++round) {
            QByteArray bad = good;
            for (int k = 0; k < 40; ++k) bad[int(rng() % uint32_t(bad.size()))] = char(rng() % 256);
            QVERIFY(write_file(path("flipped.mkv"), bad));
            try {
                read_embedded_subtitles(path("flipped.mkv").toStdString());
                ++read;
            } catch (const Error& e) {
                QVERIFY2(QString(e.what()).contains("flipped.mkv"), e.what());
            }
        }
        QVERIFY(read > 0);
    }

    void sidecarsFoundWithLanguages() {
        QDir d(path("side"));
        QVERIFY(d.mkpath("."));
        const QStringList names = {"My.Movie.2020.mkv",        "My.Movie.2020.srt",      "My.Movie.2020.en.srt",
                                   "My.Movie.2020.fra.vtt",    "My.Movie.2020.English.forced.srt",
                                   "My.Movie.2020.pt-BR.SRT",  "My.Movie.2020.en.sdh.srt", "My.Movie.2020.hi.srt",
                                   "My.Movie.2020.part2.srt",  "Other.srt",              "My.Movie.2020.en.txt"};
        for (const QString& n : names) QVERIFY(write_file(d.filePath(n), kSrt));
        const std::vector<SidecarFile> found = find_sidecar_subtitles(d.filePath("My.Movie.2020.mkv").toStdString());
        QStringList got;
        for (const SidecarFile& f : found)
            got << QString("%1 %2 %3%4%5")
                       .arg(QString::fromStdString(f.path.filename().string()), QString::fromStdString(f.format),
                            QString::fromStdString(f.language), f.forced ? " forced" : "",
                            f.hearing_impaired ? " hi" : "");
        const QStringList want = {"My.Movie.2020.English.forced.srt srt eng forced",
                                  "My.Movie.2020.en.sdh.srt srt eng hi",
                                  "My.Movie.2020.en.srt srt eng",
                                  "My.Movie.2020.fra.vtt vtt fre",
                                  "My.Movie.2020.hi.srt srt hin",
                                  "My.Movie.2020.pt-BR.SRT srt por",
                                  "My.Movie.2020.srt srt und"};
        QCOMPARE(got, want);
        QCOMPARE(describe_sidecar("/x/film.de.forced.srt").language, std::string("ger"));
        QCOMPARE(describe_sidecar("/x/film.srt").language, std::string("und"));
    }

    void sidecarSrtAndVtt() {
        // UTF-8 with a byte order mark and CRLF line ends.
        QVERIFY(write_file(path("bom.srt"), QByteArray("\xEF\xBB\xBF") + kSrt));
        SidecarSubtitles s = read_sidecar_subtitles(sidecar(path("bom.srt"), "eng"));
        QString why = check_cues(s.cues, kCues, "sidecar", "eng");
        QVERIFY2(why.isEmpty(), qPrintable("srt: " + why));
        QVERIFY(s.warnings.empty());

        s = read_sidecar_subtitles(sidecar(vtt_, "fre"));
        why = check_cues(s.cues, kCues, "sidecar", "fre");
        QVERIFY2(why.isEmpty(), qPrintable("vtt: " + why));
        QVERIFY(s.warnings.empty());

        // UTF-16 (with its byte order mark), as Windows tools save "Unicode" text.
        QByteArray utf16("\xFF\xFE");
        const QString text = QString::fromUtf8("1\r\n00:00:01,000 --> 00:00:02,000\r\nÜber café\r\n");
        utf16.append(reinterpret_cast<const char*>(text.utf16()), text.size() * 2);
        QVERIFY(write_file(path("utf16.srt"), utf16));
        s = read_sidecar_subtitles(sidecar(path("utf16.srt")));
        QCOMPARE(s.cues.size(), size_t(1));
        QCOMPARE(s.cues[0].text, std::string("\xC3\x9C" "ber caf\xC3\xA9"));

        // Windows-1252: read, with a warning naming the file.
        QVERIFY(write_file(path("latin.srt"), "1\n00:00:01,000 --> 00:00:02,000\nCaf\xE9 cr\xE8me \x80 5\n"));
        s = read_sidecar_subtitles(sidecar(path("latin.srt")));
        QCOMPARE(s.cues.size(), size_t(1));
        QCOMPARE(s.cues[0].text, std::string("Caf\xC3\xA9 cr\xC3\xA8me \xE2\x82\xAC 5"));
        QCOMPARE(s.warnings.size(), size_t(1));
        QVERIFY2(QString::fromStdString(s.warnings[0]).contains("latin.srt"), s.warnings[0].c_str());

        // A blank line inside a SubRip cue's text, a cue numbered "42" whose text is a number, times without hours
        // or with a dot, cues out of order.
        QVERIFY(write_file(path("loose.srt"), "3\n00:00:05.000 --> 00:00:06.000\n42\n\n"
                                              "1\n00:00:01,000 --> 00:00:02,000\nOne\n\nstill one\n\n\n"
                                              "2\n00:00:03,5 --> 00:00:04,25\nTwo"));
        s = read_sidecar_subtitles(sidecar(path("loose.srt")));
        why = check_cues(s.cues, {{1.0, 2.0, "One\nstill one"}, {3.5, 4.25, "Two"}, {5.0, 6.0, "42"}}, "sidecar",
                         "und");
        QVERIFY2(why.isEmpty(), qPrintable("loose srt: " + why));
    }

    void sidecarBadInput() {
        // Broken timestamps and a cue that ends before it starts: those cues are skipped with their line named.
        QVERIFY(write_file(path("corrupt.srt"), "1\n00:00:01,000 --> 00:00:02,000\nGood\n\n"
                                                "2\n00:00:xx,000 --> 00:00:04,000\nBad time\n\n"
                                                "3\n00:00:06,000 --> 00:00:05,000\nBackwards\n\n"
                                                "4\n00:00:07,000 --> 00:00:08,000\nAlso good\n"));
        SidecarSubtitles s = read_sidecar_subtitles(sidecar(path("corrupt.srt")));
        const QString why = check_cues(s.cues, {{1, 2, "Good"}, {7, 8, "Also good"}}, "sidecar", "und");
        QVERIFY2(why.isEmpty(), qPrintable(why));
        QCOMPARE(s.warnings.size(), size_t(2));
        QVERIFY2(QString::fromStdString(s.warnings[0]).contains("corrupt.srt' line 6: bad time"),
                 s.warnings[0].c_str());
        QVERIFY2(QString::fromStdString(s.warnings[1]).contains("line 10: cue ends before it starts"),
                 s.warnings[1].c_str());

        // Whole-file failures: one line naming the file (and the line where one is to blame).
        QVERIFY(write_file(path("empty.srt"), ""));
        QVERIFY(write_file(path("blank.srt"), "\r\n \r\n"));
        QVERIFY(write_file(path("allbad.srt"), "1\n00:00:99,000 --> 00:01:00,000\nNo\n"));
        QVERIFY(write_file(path("prose.srt"), "Just some words\nwith no times at all\n"));
        QVERIFY(write_file(path("binary.srt"), QByteArray("\x00\x01\x02-->\x00\xFF", 8)));
        const QList<QPair<QString, QString>> cases = {
            {"empty.srt", "is empty"},        {"blank.srt", "holds no text"},
            {"allbad.srt", "line 2: bad time"}, {"prose.srt", "no subtitle cue"},
            {"binary.srt", "binary data"},    {"missing.srt", "no such file"}};
        for (const auto& [name, expected] : cases) {
            const QString m = error_of([&] { read_sidecar_subtitles(sidecar(path(name))); });
            QVERIFY2(m.contains(name) && m.contains(expected) && !m.contains('\n'),
                     qPrintable(name + ": '" + m + "'"));
        }

        // Damage of every kind never crashes: every prefix of a good file, and random bytes.
        const QByteArray good = kSrt;
        int readable_prefixes = 0;
        for (int n = 1; n < good.size(); ++n) {
            QVERIFY(write_file(path("cut.srt"), good.left(n)));
            try {
                readable_prefixes += read_sidecar_subtitles(sidecar(path("cut.srt"))).cues.empty() ? 0 : 1;
            } catch (const Error& e) {
                QVERIFY(QString(e.what()).contains("cut.srt"));
            }
        }
        QVERIFY(readable_prefixes > 0);
        std::mt19937 rng(8);
        for (int round = 0; round < 200; ++round) {
            std::string bytes(size_t(rng() % 300), '\0');
            for (char& c : bytes) c = static_cast<char>(rng() % 4 == 0 ? "0123:,.->\n"[rng() % 10] : rng() % 256);
            try {
                parse_sidecar_subtitles(bytes, sidecar(path("random.srt")));
            } catch (const Error& e) {
                QVERIFY(QString(e.what()).contains("random.srt"));
            }
        }
    }

    // The ingest step: embedded and sidecar cues stored as the "subtitles" run, the container's synopsis and
    // description as title texts; run again, nothing doubles.
    void ingestStep() {
        QDir d(path("title"));
        QVERIFY(d.mkpath("."));
        const QString media = d.filePath("film.mkv");
        QVERIFY(QFile::copy(mkv_, media));
        QVERIFY(write_file(d.filePath("film.en.srt"), kSrt));
        QVERIFY(write_file(d.filePath("film.es.srt"), ""));  // empty: a warning, not a failure
        QVERIFY(write_file(d.filePath("film.it.srt"), "1\n00:00:01,000 --> 00:00:02,000\nBuono\n\n"
                                                      "2\n00:00:0x,000 --> 00:00:04,000\nRotto\n"));
        auto store = open_store(path("subs.db").toStdString());
        const int64_t title = test::add_ready_title(*store, "film", 2);

        SubtitleStepResult r = run_subtitle_step(*store, title, media.toStdString());
        QVERIFY(r.run_id > 0);
        // Embedded: 2 SubRip + 2 ASS + 2 WebVTT; sidecars: 2 (en) + 1 (it).
        QCOMPARE(r.cues, 9);
        QCOMPARE(r.metadata_texts, 2);
        QStringList warnings;
        for (const std::string& w : r.warnings) warnings << QString::fromStdString(w);
        QVERIFY2(warnings.size() == 3, qPrintable(warnings.join(" | ")));  // PGS not text, es empty, it bad time
        QVERIFY2(warnings.filter("not text").size() == 1, qPrintable(warnings.join(" | ")));
        QVERIFY2(warnings.filter("film.es.srt' is empty").size() == 1, qPrintable(warnings.join(" | ")));
        QVERIFY2(warnings.filter("film.it.srt' line 6: bad time").size() == 1, qPrintable(warnings.join(" | ")));

        const std::vector<TranscriptSegment> stored = store->transcript(title);
        QCOMPARE(stored.size(), size_t(9));
        int sidecar_en = 0, sidecar_it = 0, subtitle_fre = 0;
        for (const TranscriptSegment& t : stored) {
            QCOMPARE(t.run_id, r.run_id);
            if (t.source == "sidecar" && t.language == "eng") ++sidecar_en;
            if (t.source == "sidecar" && t.language == "ita") ++sidecar_it;
            if (t.source == "subtitle" && t.language == "fre") {
                ++subtitle_fre;
                if (t.start_s < 1.0) QCOMPARE(t.text, std::string("Hello world"));
            }
        }
        QCOMPARE(sidecar_en, 2);
        QCOMPARE(sidecar_it, 1);
        QCOMPARE(subtitle_fre, 2);
        for (size_t i = 1; i < stored.size(); ++i) QVERIFY(stored[i - 1].start_s <= stored[i].start_s);

        std::vector<TitleText> texts = store->title_texts(title);
        QCOMPARE(texts.size(), size_t(2));
        QCOMPARE(texts[0].kind, std::string("synopsis"));
        QCOMPARE(texts[0].source, std::string("metadata"));
        QCOMPARE(texts[0].text, std::string("Cues meet a bitmap."));
        QCOMPARE(texts[1].kind, std::string("description"));

        QVERIFY(QString::fromStdString(r.detail).contains("\"skipped\":\"not text"));
        const SubtitleStepResult again = run_subtitle_step(*store, title, media.toStdString());
        QVERIFY(again.run_id > r.run_id);
        QCOMPARE(again.metadata_texts, 0);
        QCOMPARE(store->title_texts(title).size(), size_t(2));
        QCOMPARE(store->transcript(title).size(), size_t(9));  // the first run is superseded, not added to

        // A title without any subtitles gets a run with none: "none" is known.
        const QString plain = test::make_cut_clip(path("plain2.mp4"), 1, 10, 10);
        const int64_t other = test::add_ready_title(*store, "plain", 1);
        const SubtitleStepResult none = run_subtitle_step(*store, other, plain.toStdString());
        QVERIFY(none.run_id > 0);
        QCOMPARE(none.cues, 0);
        QVERIFY(store->transcript(other).empty());
    }
};

QTEST_GUILESS_MAIN(TestSubtitles)
#include "tst_subtitles.moc"
