// Damaged files: a scan goes as far as it can, reports what it found up to the damage, warns, never crashes.
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

#include "core/pipeline/video_scan.h"
#include "tests/support/fixtures.h"

using namespace frameline;

namespace {
QByteArray read_all(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
void write_all(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}
ScanResult scan(const QString& path) {
    ScanOptions options;
    options.thumbnail_width = 160;
    return scan_video(path.toStdString(), options, {});
}
}  // namespace

class TestDamagedMedia : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QByteArray clip_;  // Matroska (its header is at the front, as streaming formats): 4 shots of 50 frames

private slots:
    void initTestCase() {
        const QString path = test::make_cut_clip(dir_.filePath("clean.mkv"), 4, 50, 25);
        QVERIFY(!path.isEmpty());
        clip_ = read_all(path);
        QVERIFY(clip_.size() > 10000);
    }

    void videoEndsEarly() {
        const QString path = dir_.filePath("truncated.mkv");
        write_all(path, clip_.left(clip_.size() * 55 / 100));
        ScanResult r = scan(path);
        QVERIFY2(r.frame_count > 50 && r.frame_count < 200, qPrintable(QString::number(r.frame_count)));
        QVERIFY(!r.shots.empty());
        QCOMPARE(r.shots[1].start_frame, int64_t(50));  // what is there is still exact
        QVERIFY(!r.warnings.empty());
        QVERIFY2(QString::fromStdString(r.warnings[0]).contains("truncated"), r.warnings[0].c_str());
    }

    void corruptMiddle() {
        QByteArray bytes = clip_;
        QRandomGenerator random(7);
        for (qsizetype k = bytes.size() * 45 / 100; k < bytes.size() * 55 / 100; ++k)
            bytes[k] = char(random.bounded(256));
        const QString path = dir_.filePath("corrupt.mkv");
        write_all(path, bytes);
        ScanResult r = scan(path);  // must not throw or crash
        QVERIFY(r.frame_count > 50);
        QCOMPARE(r.shots[1].start_frame, int64_t(50));
        QVERIFY(!r.warnings.empty());
        QVERIFY(QString::fromStdString(r.warnings[0]).contains("corrupt.mkv"));
    }

    void headerOnlyIsAnError() {
        const QString path = dir_.filePath("header.mkv");
        write_all(path, clip_.left(2000));
        try {
            scan(path);
            QFAIL("a file with no frames scanned");
        } catch (const std::exception& e) {
            QVERIFY2(QString(e.what()).contains("header.mkv"), e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestDamagedMedia)
#include "tst_damaged_media.moc"
