#include "tests/support/fixtures.h"

#include <QFile>
#include <QProcess>
#include <QtDebug>

#include "tests/support/testdata.h"

namespace frameline::test {

QString run_ffmpeg(const QStringList& args) {
    QProcess p;
    p.start("ffmpeg", QStringList{"-hide_banner", "-nostdin", "-y", "-v", "error"} + args);
    if (!p.waitForFinished(120000)) return "ffmpeg did not finish: " + p.errorString();
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        return "ffmpeg failed: " + QString::fromUtf8(p.readAllStandardError()).trimmed();
    return {};
}

QString make_cut_clip(const QString& path, int segments, int frames_per_segment, int fps) {
    // Distinct sources so every cut changes colour and structure.
    const QStringList sources = {"testsrc2", "smptebars", "mandelbrot", "rgbtestsrc", "cellauto=rule=30", "life"};
    QStringList args;
    QString graph;
    for (int i = 0; i < segments; ++i) {
        QString src = sources[i % sources.size()];
        QString sep = src.contains('=') ? ":" : "=";
        args << "-f" << "lavfi" << "-i"
             << QString("%1%2s=320x240:r=%3").arg(src, sep).arg(fps);
        graph += QString("[%1]format=yuv420p,trim=end_frame=%2,setpts=PTS-STARTPTS[s%1];").arg(i).arg(frames_per_segment);
    }
    for (int i = 0; i < segments; ++i) graph += QString("[s%1]").arg(i);
    graph += QString("concat=n=%1:v=1:a=0[v]").arg(segments);
    args << "-filter_complex" << graph << "-map" << "[v]" << "-c:v" << "libx264" << "-preset" << "ultrafast"
         << "-pix_fmt" << "yuv420p" << "-g" << QString::number(fps) << path;
    QString err = run_ffmpeg(args);
    if (!err.isEmpty()) {
        qWarning().noquote() << err;
        return {};
    }
    return path;
}

QString make_sample_title(const QString& path) {
    QProcess p;
    p.start("bash", {source_dir() + "/scripts/make-sample.sh", path});
    if (!p.waitForFinished(180000) || p.exitCode() != 0) {
        qWarning().noquote() << "make-sample.sh failed:" << p.readAllStandardError();
        return {};
    }
    return path;
}

QString make_text_file(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly)) return {};
    f.write("This is not a video, just some words in a text file.\n");
    return path;
}

}  // namespace frameline::test
