#include "tests/support/store_backends.h"

#include <QtTest>

namespace frameline::test {

StoreBackends::StoreBackends() : postgres_(std::make_unique<PostgresServer>()) {}

StoreBackends::~StoreBackends() = default;

void StoreBackends::add_rows()
{
    QTest::addColumn<QString>("backend");
    QTest::newRow("sqlite") << "sqlite";
    QTest::newRow("postgres") << "postgres";
}

std::unique_ptr<Store> StoreBackends::fresh()
{
    QFETCH(QString, backend);
    if (backend == QLatin1String("sqlite"))
        return open_store(dir_.filePath(QStringLiteral("db%1.sqlite").arg(++databases_)).toStdString());
    if (!postgres_->running()) return nullptr;
    const QString url = postgres_->create_database();
    return url.isEmpty() ? nullptr : open_store(url.toStdString());
}

}  // namespace frameline::test
