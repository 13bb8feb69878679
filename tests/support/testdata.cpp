#include "tests/support/testdata.h"

#include <QDir>
#include <QFileInfo>

namespace frameline::test {

QString testdata_file(const QString& relative) {
    const QString root = qEnvironmentVariable("FRAMELINE_TESTDATA");
    if (root.isEmpty()) return {};
    const QString path = QDir(root).filePath(relative);
    return QFileInfo::exists(path) ? path : QString();
}

QByteArray testdata_missing(const QString& relative) {
    return ("needs " + relative + " under $FRAMELINE_TESTDATA (../shared/testdata; .ci/run sets it)").toUtf8();
}

QString cli_path() { return QStringLiteral(FRAMELINE_CLI_PATH); }
QString source_dir() { return QStringLiteral(FRAMELINE_SOURCE_DIR); }

}  // namespace frameline::test
