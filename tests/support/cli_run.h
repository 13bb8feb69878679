#pragma once
// Runs the built frameline-cli for a test: its exit code (-1 when it crashed or did not finish), stdout, stderr.
// The command line contract (DESIGN.md) is what the tests check with it: JSON on stdout, exit codes 0/1/2, one
// line on stderr for a failure.
#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace frameline::test {

struct CliRun {
    int exit_code = -1;
    QByteArray out;
    QString err;
    QJsonObject json() const;  // stdout as one JSON object ({} when it is not one)
};

CliRun cli(const QStringList& args, int timeout_ms = 600000);

// A failure's message as the contract wants it: one non-empty line.
bool one_line(const QString& text);

}  // namespace frameline::test
