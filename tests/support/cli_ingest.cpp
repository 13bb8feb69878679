#include "tests/support/cli_ingest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include "tests/support/testdata.h"

namespace frameline::test {

CliIngest cli_ingest(const QStringList& files, const QString& db, const QStringList& extra)
{
    CliIngest out;
    QProcess p;
    p.start(cli_path(), QStringList{QStringLiteral("ingest")} + files +
                            QStringList{QStringLiteral("--db"), db, QStringLiteral("--json")} + extra);
    if (!p.waitForFinished(580000)) {
        p.kill();
        out.error = QStringLiteral("frameline-cli ingest did not finish within 580 s");
        return out;
    }
    const QByteArray err = p.readAllStandardError();
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        if (err.contains("convert-models") && qEnvironmentVariable("FRAMELINE_ALLOW_MISSING_MODELS") == QLatin1String("1")) {
            out.skip = true;
            out.error = QStringLiteral("the model zoo is not converted (FRAMELINE_ALLOW_MISSING_MODELS=1)");
        } else {
            out.error = QStringLiteral("ingest failed (run scripts/convert-models.sh if a model is missing): ") +
                        QString::fromUtf8(err.right(600));
        }
        return out;
    }
    out.json = p.readAllStandardOutput();
    for (const QJsonValue& t : QJsonDocument::fromJson(out.json).object()[QStringLiteral("titles")].toArray())
        out.title_ids.push_back(int64_t(t.toObject()[QStringLiteral("id")].toInteger()));
    return out;
}

}  // namespace frameline::test
