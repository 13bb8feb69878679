// Model zoo discovery: the repo's and the user's manifest folders (env overrides), where each converted file is,
// and its state (ready / missing / stale / error), without loading any model. Plus `frameline-cli models list`.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>
#include <fstream>

#include "core/models/model_zoo.h"
#include "core/models/sha256.h"
#include "tests/support/testdata.h"

using namespace frameline;
namespace fs = std::filesystem;

namespace {
std::string manifest_text(const std::string& name, const std::string& extra = "") {
    return R"({"name": ")" + name + R"(", "task": "classifier", "revision": 1,
      "source": {"registry": "npm", "package": "pkg-)" + name + R"(", "version": "1.2.3", "licence": "MIT"},
      "format": "tfjs-graph",
      "input": {"kind": "image", "shape": [1, 3, 8, 8], "scale": 1.0}, )" + extra + R"(
      "outputs": [{"name": "y", "shape": [1, 2]}], "reference": "reference.json"})";
}
void write(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
}
// The converter's stamp for `manifest_bytes`.
std::string stamp_for(const std::string& manifest_bytes) {
    return R"({"manifest_sha256": ")" + sha256_hex(manifest_bytes) +
           R"(", "converter_revision": 1, "source": "pkg@1.2.3", "converted_at": "2025-01-02T03:04:05Z"})";
}
const ModelEntry* find(const std::vector<ModelEntry>& all, const std::string& name) {
    for (const auto& e : all)
        if (e.name == name) return &e;
    return nullptr;
}
}  // namespace

class TestModelZoo : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    fs::path root_, repo_, user_, cache_;

private Q_SLOTS:
    void initTestCase() {
        root_ = tmp_.path().toStdString();
        repo_ = root_ / "repo-models";
        user_ = root_ / "data" / "frameline" / "models";
        cache_ = root_ / "cache" / "frameline" / "models";
        // ready: converted from this very manifest
        write(repo_ / "ready_one" / "manifest.json", manifest_text("ready_one"));
        write(cache_ / "ready_one.pt", "not really torchscript; list does not load it");
        write(cache_ / "ready_one.json", stamp_for(manifest_text("ready_one")));
        // missing: never converted
        write(repo_ / "missing_one" / "manifest.json", manifest_text("missing_one"));
        // stale: converted from an older manifest
        write(repo_ / "stale_one" / "manifest.json", manifest_text("stale_one", R"("labels": ["a", "b"],)"));
        write(cache_ / "stale_one.pt", "x");
        write(cache_ / "stale_one.json", stamp_for(manifest_text("stale_one")));
        // stale: a .pt without its stamp
        write(repo_ / "unstamped" / "manifest.json", manifest_text("unstamped"));
        write(cache_ / "unstamped.pt", "x");
        // error: a broken manifest, and a broken stamp
        write(repo_ / "broken" / "manifest.json", "{\"name\": \"broken\", ");
        write(repo_ / "bad_stamp" / "manifest.json", manifest_text("bad_stamp"));
        write(cache_ / "bad_stamp.pt", "x");
        write(cache_ / "bad_stamp.json", "{\"converted\": true}");
        // not a model folder: no manifest.json
        fs::create_directories(repo_ / "converters");
        // the user's own TorchScript models: one with its file, one without, and one reusing a repo name
        write(user_ / "my_model" / "manifest.json", R"({"name": "my_model", "task": "maturity", "format": "torchscript",
            "file": "weights.pt", "input": {"kind": "image", "shape": [1, 3, 4, 4], "scale": 1},
            "outputs": [{"name": "score", "shape": [1, 1]}]})");
        write(user_ / "my_model" / "weights.pt", "x");
        write(user_ / "lost_file" / "manifest.json", R"({"name": "lost_file", "task": "maturity", "format": "torchscript",
            "file": "gone.pt", "input": {"kind": "image", "shape": [1, 3, 4, 4], "scale": 1},
            "outputs": [{"name": "score", "shape": [1, 1]}]})");
        write(user_ / "ready_one" / "manifest.json", manifest_text("ready_one"));

        qputenv("FRAMELINE_MODELS_DIR", QByteArray::fromStdString(repo_.string()));
        qputenv("XDG_DATA_HOME", QByteArray::fromStdString((root_ / "data").string()));
        qputenv("XDG_CACHE_HOME", QByteArray::fromStdString((root_ / "cache").string()));
    }

    void foldersFollowTheEnvironment() {
        QCOMPARE(repo_models_dir(), repo_);
        QCOMPARE(user_models_dir(), user_);
        QCOMPARE(converted_models_dir(), cache_);
        // XDG defaults when the variables are unset: under $HOME.
        const QByteArray home = qgetenv("HOME"), data = qgetenv("XDG_DATA_HOME"), cache = qgetenv("XDG_CACHE_HOME");
        qputenv("HOME", "/home/someone");
        qunsetenv("XDG_DATA_HOME");
        qputenv("XDG_CACHE_HOME", "");
        QCOMPARE(user_models_dir(), fs::path("/home/someone/.local/share/frameline/models"));
        QCOMPARE(converted_models_dir(), fs::path("/home/someone/.cache/frameline/models"));
        qputenv("HOME", home);
        qputenv("XDG_DATA_HOME", data);
        qputenv("XDG_CACHE_HOME", cache);
    }

    void statesOfEachModel() {
        const std::vector<ModelEntry> all = discover_models();
        QCOMPARE(all.size(), size_t(9));  // 6 repo folders with manifests + 3 user folders
        const ModelEntry* e = find(all, "ready_one");
        QVERIFY(e);
        QCOMPARE(e->state, ModelState::ready);
        QCOMPARE(e->origin, std::string("repo"));
        QCOMPARE(e->model_file, cache_ / "ready_one.pt");
        QCOMPARE(e->converted_at, std::string("2025-01-02T03:04:05Z"));
        QVERIFY(e->message.empty());
        QCOMPARE(e->manifest->source.label(), std::string("pkg-ready_one@1.2.3"));

        e = find(all, "missing_one");
        QCOMPARE(e->state, ModelState::missing);
        QVERIFY2(e->message.find("run scripts/convert-models.sh") != std::string::npos, e->message.c_str());

        e = find(all, "stale_one");
        QCOMPARE(e->state, ModelState::stale);
        QVERIFY2(e->message.find("run scripts/convert-models.sh") != std::string::npos, e->message.c_str());
        e = find(all, "unstamped");
        QCOMPARE(e->state, ModelState::stale);
        QVERIFY2(e->message.find("unstamped.json is missing") != std::string::npos, e->message.c_str());

        e = find(all, "broken");
        QCOMPARE(e->state, ModelState::error);
        QVERIFY(!e->manifest);
        QVERIFY2(e->message.find("broken/manifest.json: not valid JSON") != std::string::npos, e->message.c_str());
        e = find(all, "bad_stamp");
        QCOMPARE(e->state, ModelState::error);
        QVERIFY2(e->message.find("bad_stamp.json: not a conversion stamp") != std::string::npos, e->message.c_str());
    }

    void usersOwnModelsArePickedUp() {
        const std::vector<ModelEntry> all = discover_models();
        const ModelEntry* e = find(all, "my_model");
        QVERIFY(e);
        QCOMPARE(e->origin, std::string("user"));
        QCOMPARE(e->state, ModelState::ready);
        QCOMPARE(e->model_file, user_ / "my_model" / "weights.pt");
        QVERIFY(e->stamp_file.empty());
        e = find(all, "lost_file");
        QCOMPARE(e->state, ModelState::missing);
        QVERIFY2(e->message.find("gone.pt not found") != std::string::npos, e->message.c_str());
        // The same name twice: the first (the repo's) wins, the second is an error naming both.
        int count = 0;
        for (const auto& m : all)
            if (m.name == "ready_one") {
                ++count;
                if (m.origin == "user") {
                    QCOMPARE(m.state, ModelState::error);
                    QVERIFY2(m.message.find("already defined by") != std::string::npos, m.message.c_str());
                }
            }
        QCOMPARE(count, 2);
    }

    void touchingTheManifestMakesItStale() {
        ZooPaths paths = default_zoo_paths();
        QCOMPARE(find(discover_models(paths), "ready_one")->state, ModelState::ready);
        write(repo_ / "ready_one" / "manifest.json", manifest_text("ready_one") + "\n");
        QCOMPARE(find(discover_models(paths), "ready_one")->state, ModelState::stale);
        write(repo_ / "ready_one" / "manifest.json", manifest_text("ready_one"));
        QCOMPARE(find(discover_models(paths), "ready_one")->state, ModelState::ready);
    }

    void noFoldersNoModels() {
        ZooPaths paths;
        paths.manifest_dirs = {{root_ / "nowhere", "repo"}};
        paths.converted_dir = root_ / "nowhere-either";
        QVERIFY(discover_models(paths).empty());
    }

    void cliListsTheZoo() {
        QProcess p;
        p.start(test::cli_path(), {"models", "list", "--json"});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        const QJsonObject doc = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
        QCOMPARE(doc["converted_dir"].toString(), QString::fromStdString(cache_.string()));
        const QJsonArray models = doc["models"].toArray();
        QCOMPARE(models.size(), 9);
        QJsonObject ready;
        for (const auto& m : models)
            if (m.toObject()["name"] == "ready_one" && m.toObject()["origin"] == "repo") ready = m.toObject();
        QCOMPARE(ready["state"].toString(), QString("ready"));
        QCOMPARE(ready["task"].toString(), QString("classifier"));
        QCOMPARE(ready["source"].toString(), QString("pkg-ready_one@1.2.3"));
        QCOMPARE(ready["licence"].toString(), QString("MIT"));
        QCOMPARE(ready["file"].toString(), QString::fromStdString((cache_ / "ready_one.pt").string()));
        QCOMPARE(ready["manifest"].toString(), QString::fromStdString((repo_ / "ready_one" / "manifest.json").string()));

        // verify: a missing model fails with exit 1 and one line on stderr saying what to do.
        QProcess v;
        v.start(test::cli_path(), {"models", "verify", "missing_one", "--json"});
        QVERIFY(v.waitForFinished(60000));
        QCOMPARE(v.exitCode(), 1);
        const QString err = QString::fromUtf8(v.readAllStandardError()).trimmed();
        QVERIFY2(!err.contains('\n') && err.contains("run scripts/convert-models.sh"), qPrintable(err));
        const QJsonObject vdoc = QJsonDocument::fromJson(v.readAllStandardOutput()).object();
        QCOMPARE(vdoc["failed"].toInt(), 1);
        QCOMPARE(vdoc["models"].toArray()[0].toObject()["state"].toString(), QString("missing"));

        QProcess u;
        u.start(test::cli_path(), {"models", "verify", "no_such_model"});
        QVERIFY(u.waitForFinished(60000));
        QCOMPARE(u.exitCode(), 1);
        QVERIFY(QString::fromUtf8(u.readAllStandardError()).contains("no model named 'no_such_model'"));

        QProcess bad;
        bad.start(test::cli_path(), {"models", "verify", "--device", "tpu"});
        QVERIFY(bad.waitForFinished(60000));
        QCOMPARE(bad.exitCode(), 2);
    }
};

QTEST_GUILESS_MAIN(TestModelZoo)
#include "tst_model_zoo.moc"
