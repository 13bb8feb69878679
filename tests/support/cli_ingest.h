#pragma once
// Ingests media with the real frameline-cli (models and analysis included), for the tests of what the analysis
// derives. One place for the run, the skip when the model zoo is missing and allowed to be, and the failure text.
#include <QByteArray>
#include <QString>
#include <QStringList>
#include <cstdint>
#include <vector>

namespace frameline::test {

struct CliIngest {
    std::vector<int64_t> title_ids;  // in the order of the files
    QByteArray json;                 // the CLI's whole JSON answer
    QString error;                   // empty: it worked
    bool skip = false;               // the model zoo is missing and FRAMELINE_ALLOW_MISSING_MODELS=1
};

// `frameline-cli ingest FILES --db DB --json EXTRA...`
CliIngest cli_ingest(const QStringList& files, const QString& db, const QStringList& extra = {});

}  // namespace frameline::test

// In a test function: ingests, fills `ids` (a std::vector<int64_t>), and skips or fails the test as cli_ingest says.
#define FRAMELINE_CLI_INGEST(files, db, ids)                                                                           \
    do {                                                                                                               \
        const frameline::test::CliIngest ingest_ = frameline::test::cli_ingest((files), (db));                        \
        if (ingest_.skip) QSKIP(qPrintable(ingest_.error));                                                            \
        if (!ingest_.error.isEmpty()) QFAIL(qPrintable(ingest_.error));                                                \
        (ids).insert((ids).end(), ingest_.title_ids.begin(), ingest_.title_ids.end());                                \
    } while (0)
