#include "tests/support/cli_run.h"

#include <QJsonDocument>
#include <QProcess>

#include "tests/support/testdata.h"

namespace frameline::test {

QJsonObject CliRun::json() const { return QJsonDocument::fromJson(out).object(); }

CliRun cli(const QStringList& args, int timeout_ms) {
    QProcess p;
    p.start(cli_path(), args);
    const bool finished = p.waitForFinished(timeout_ms);
    if (!finished) p.kill(), p.waitForFinished();
    return CliRun{finished && p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
                  QString::fromUtf8(p.readAllStandardError())};
}

bool one_line(const QString& text) { return text.trimmed().count('\n') == 0 && !text.trimmed().isEmpty(); }

}  // namespace frameline::test
