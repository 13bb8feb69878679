#pragma once
#include <QString>

namespace frameline::test {

// The file `relative` under $FRAMELINE_TESTDATA (../shared/testdata in CI), or an empty string when it is not set
// or the file is missing. Tests that need it QSKIP with the message from testdata_missing().
QString testdata_file(const QString& relative);
QByteArray testdata_missing(const QString& relative);

// Path of the built frameline-cli, and of the source tree.
QString cli_path();
QString source_dir();

}  // namespace frameline::test
