#pragma once
// The store tests run each case on both backends: an SQLite file and a database on a throwaway PostgreSQL 15
// (tests/support/postgres_server.h), chosen by the data column "backend".
#include <QTemporaryDir>
#include <memory>

#include "core/store/store.h"
#include "tests/support/postgres_server.h"

namespace frameline::test {

class StoreBackends {
public:
    StoreBackends();  // starts the PostgreSQL server (or finds out why it cannot)
    ~StoreBackends();

    // In a test's _data(): the "backend" column with the rows "sqlite" and "postgres".
    static void add_rows();
    // A fresh, empty database of the current row's backend; null when PostgreSQL is missing or did not start
    // (FRAMELINE_OPEN_STORE then skips or fails the test).
    std::unique_ptr<Store> fresh();
    PostgresServer& postgres() { return *postgres_; }

private:
    QTemporaryDir dir_;
    std::unique_ptr<PostgresServer> postgres_;
    int databases_ = 0;
};

}  // namespace frameline::test

// In a test function: `store` is a fresh database of the row's backend, or the test is skipped (no PostgreSQL on
// this machine) or failed (PostgreSQL is there but did not start).
#define FRAMELINE_OPEN_STORE(backends, store)                                                       \
    auto store = (backends).fresh();                                                                \
    if (!store) {                                                                                   \
        if (!(backends).postgres().available()) QSKIP(qPrintable((backends).postgres().why()));     \
        QFAIL(qPrintable("PostgreSQL did not start: " + (backends).postgres().why()));              \
    }
