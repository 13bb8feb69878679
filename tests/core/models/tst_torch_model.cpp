// Plumbing of the C++ model runtime with tiny TorchScript models that this test writes itself (with Debian's
// python3-torch): load, run, tuple outputs in order, batch == singles, clear errors for corrupt files, and the
// reference check (pattern input computed independently in Python/numpy, compared in C++), incl. `models verify`.
// The real zoo's parity is tst_model_parity.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "core/models/compute_device.h"
#include "core/models/model_manifest.h"
#include "core/models/reference_check.h"
#include "core/models/torch_model.h"
#include "tests/support/testdata.h"

using namespace frameline;
namespace fs = std::filesystem;

namespace {
// Writes <out>/tiny_image, tiny_audio and tiny_off (tiny_image with a reference that is 1e-3 off): each a folder
// with manifest.json ("format": "torchscript"), the .pt beside it, and reference.json by the contract's rules.
const char* kMakeTinyModels = R"PY(
import json, math, pathlib, shutil, sys
from typing import Tuple
import numpy as np
import torch

out = pathlib.Path(sys.argv[1])

class TinyImage(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        return x.sum(dim=(2, 3)), x.mean(dim=1, keepdim=True) * 2.0 + 1.0

class TinyAudio(torch.nn.Module):
    def forward(self, x: torch.Tensor, state: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        m = x.mean(dim=1, keepdim=True) * 10.0
        new_state = state * 0.5 + m.unsqueeze(0)
        return torch.sigmoid(m + new_state[0, :, :1]), new_state

def pattern_image(shape, scale, offset):   # contract section 3, written independently of the C++ one
    n, c, h, w = np.meshgrid(*[np.arange(d, dtype=np.float64) for d in shape], indexing="ij")
    v = 0.5 + 0.5 * np.sin(0.37 * (c + 1) + 0.113 * h + 0.071 * w + 1.3 * n) * np.cos(0.029 * h - 0.047 * w)
    px = np.floor(255.0 * v + 0.5)
    return torch.from_numpy((px * np.array(scale).reshape(1, -1, 1, 1) + np.array(offset).reshape(1, -1, 1, 1)).astype(np.float32))

def pattern_audio():
    t = np.arange(16000, dtype=np.float64)
    x = 0.3 * np.sin(2 * math.pi * 180 * t / 16000) * (0.5 + 0.5 * np.sin(2 * math.pi * 2.5 * t / 16000)) \
        + 0.05 * np.sin(2 * math.pi * 1234 * t / 16000)
    return torch.from_numpy(x.astype(np.float32))

def record(name, t, skew=0.0):
    flat = t.detach().reshape(-1).double()
    idx = [(k * flat.numel()) // 256 for k in range(256)] + [int(flat.argmax()), int(flat.argmin())]
    return {"name": name, "shape": list(t.shape), "max_abs": float(flat.abs().max()),
            "samples": [[i, float(flat[i]) * (1 + skew) + skew] for i in idx]}

def save(name, module, manifest, outputs, input_shape, skew=0.0, pt=None):
    d = out / name
    d.mkdir(parents=True, exist_ok=True)
    if pt is None:
        torch.jit.save(torch.jit.script(module), str(d / (name + ".pt")))
    else:
        shutil.copy(pt, d / (name + ".pt"))
    manifest = dict(manifest, name=name, file=name + ".pt", reference="reference.json", format="torchscript")
    (d / "manifest.json").write_text(json.dumps(manifest, indent=1))
    ref = {"input": "frameline-pattern-v1", "input_shape": input_shape, "runtime": "python torch " + torch.__version__,
           "rtol": 1e-4, "outputs": [record(k, v, skew) for k, v in outputs]}
    (d / "reference.json").write_text(json.dumps(ref))

scale, offset = [1 / 255, 2 / 255, 0.5], [0.0, -1.0, 0.25]
image_manifest = {"task": "classifier", "description": "plumbing test model",
                  "input": {"kind": "image", "shape": [1, 3, 6, 5], "colour": "rgb", "scale": scale, "offset": offset},
                  "outputs": [{"name": "sums", "shape": [1, 3]}, {"name": "mean_map", "shape": [1, 1, 6, 5]}]}
x = pattern_image([1, 3, 6, 5], scale, offset)
sums, mean_map = TinyImage()(x)
save("tiny_image", TinyImage(), image_manifest, [("sums", sums), ("mean_map", mean_map)], [1, 3, 6, 5])
save("tiny_off", None, image_manifest, [("sums", sums), ("mean_map", mean_map)], [1, 3, 6, 5], skew=1e-3,
     pt=out / "tiny_image" / "tiny_image.pt")

audio_manifest = {"task": "voice_activity",
                  "input": {"kind": "audio", "shape": [1, 80], "sample_rate": 16000, "chunk_samples": 64,
                            "context_samples": 16, "state_shape": [2, 1, 4]},
                  "outputs": [{"name": "prob", "shape": [1, 1]}, {"name": "state", "shape": [2, 1, 4]}]}
signal = pattern_audio()
chunks = (signal.numel() + 63) // 64
padded = torch.zeros(chunks * 64 + 16)
padded[16:16 + signal.numel()] = signal
state = torch.zeros(2, 1, 4)
probs, states = [], []
model = torch.jit.script(TinyAudio())
for c in range(chunks):
    p, state = model(padded[c * 64 : c * 64 + 80].unsqueeze(0), state)
    probs.append(p[0])
    states.append(state)
save("tiny_audio", TinyAudio(), audio_manifest, [("prob", torch.stack(probs)), ("state", torch.stack(states))], [1, 80])
print("ok")
)PY";

ComputeDevice cpu() { return choose_compute_device("cpu", 2); }

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return {};
}

// x[n, c, h, w] = a deterministic spread of values.
Tensor input(int64_t n, int64_t c = 3, int64_t h = 6, int64_t w = 5, float seed = 0) {
    Tensor t({n, c, h, w});
    for (size_t i = 0; i < t.data.size(); ++i) t.data[i] = std::sin(0.37f * float(i) + seed) * 3.0f + 0.1f * seed;
    return t;
}
}  // namespace

class TestTorchModel : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    fs::path zoo_;

    fs::path pt(const std::string& name) const { return zoo_ / name / (name + ".pt"); }

private Q_SLOTS:
    void initTestCase() {
        zoo_ = fs::path(tmp_.path().toStdString()) / "models";
        const QString script = tmp_.filePath("make_tiny_models.py");
        QFile f(script);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(kMakeTinyModels);
        f.close();
        QProcess py;
        py.start("/usr/bin/python3", {script, QString::fromStdString(zoo_.string())});
        QVERIFY2(py.waitForFinished(180000), "python3 did not finish");
        QVERIFY2(py.exitCode() == 0,
                 qPrintable("could not make the tiny TorchScript models (is python3-torch installed? run "
                            "scripts/setup.sh): " + QString::fromUtf8(py.readAllStandardError())));
        QVERIFY(fs::exists(pt("tiny_image")));
    }

    void roundTripComputesWhatTheModelSays() {
        TorchModel model(pt("tiny_image"), cpu());
        const Tensor x = input(2);
        const std::vector<Tensor> out = model.run(x);
        QCOMPARE(out.size(), size_t(2));
        QCOMPARE(out[0].shape, (std::vector<int64_t>{2, 3}));
        QCOMPARE(out[1].shape, (std::vector<int64_t>{2, 1, 6, 5}));
        const size_t plane = 30;
        for (int n = 0; n < 2; ++n) {
            for (int c = 0; c < 3; ++c) {
                double sum = 0;
                for (size_t i = 0; i < plane; ++i) sum += x.data[(n * 3 + c) * plane + i];
                QVERIFY(std::abs(out[0].data[n * 3 + c] - sum) < 1e-4);
            }
            for (size_t i = 0; i < plane; ++i) {
                const double mean = (x.data[(n * 3 + 0) * plane + i] + x.data[(n * 3 + 1) * plane + i] +
                                     x.data[(n * 3 + 2) * plane + i]) / 3.0;
                QVERIFY(std::abs(out[1].data[n * plane + i] - (mean * 2 + 1)) < 1e-5);
            }
        }
        QVERIFY(model.load_ms() > 0);
        QCOMPARE(model.warm_up_ms(), 0.0);
        QVERIFY(!model.half());
    }

    void batchOfFourEqualsFourSingles() {
        TorchModelOptions o;
        o.warm_up_inputs = {Tensor({1, 3, 6, 5})};
        TorchModel model(pt("tiny_image"), cpu(), o);
        QVERIFY(model.warm_up_ms() > 0);
        std::vector<Tensor> singles;
        for (int i = 0; i < 4; ++i) singles.push_back(input(1, 3, 6, 5, float(i)));
        const std::vector<Tensor> batched = model.run(concat_batch(singles));
        for (int i = 0; i < 4; ++i) {
            const std::vector<Tensor> one = model.run(singles[i]);
            for (size_t k = 0; k < one.size(); ++k) {
                const Tensor part = slice_batch(batched[k], i, 1);
                QCOMPARE(part.shape, one[k].shape);
                for (size_t j = 0; j < part.data.size(); ++j)
                    QVERIFY2(std::abs(part.data[j] - one[k].data[j]) <= 1e-5f * (1 + std::abs(one[k].data[j])),
                             qPrintable(QString("item %1 output %2 index %3").arg(i).arg(k).arg(j)));
            }
        }
    }

    void corruptFilesSayWhatToDo() {
        const fs::path dir = tmp_.path().toStdString();
        // Truncated: the first half of a good file.
        const auto size = fs::file_size(pt("tiny_image"));
        fs::copy_file(pt("tiny_image"), dir / "truncated.pt");
        fs::resize_file(dir / "truncated.pt", size / 2);
        std::ofstream(dir / "text.pt") << "this is not a model\n";
        std::ofstream(dir / "empty.pt");
        for (const char* name : {"truncated.pt", "text.pt", "empty.pt"}) {
            const std::string e = error_of([&] { TorchModel m(dir / name, cpu()); });
            QVERIFY2(e.find((dir / name).string() + ": not a TorchScript file (corrupt or truncated?); run "
                                                    "scripts/convert-models.sh --force") == 0,
                     e.c_str());
            QVERIFY2(e.find('\n') == std::string::npos, e.c_str());
        }
        const std::string missing = error_of([&] { TorchModel m(dir / "nope.pt", cpu()); });
        QVERIFY2(missing.find("nope.pt: no such model file; run scripts/convert-models.sh") != std::string::npos,
                 missing.c_str());
    }

    void aWrongInputIsAnErrorNotACrash() {
        TorchModel model(pt("tiny_image"), cpu());
        const std::string e = error_of([&] { model.run(Tensor({2, 3})); });
        QVERIFY2(e.find("tiny_image.pt: the model rejected an input of shape [2, 3] (") != std::string::npos, e.c_str());
        QVERIFY2(e.find("Dimension out of range") != std::string::npos, e.c_str());  // the cause, not the traceback
        QVERIFY2(e.find('\n') == std::string::npos, e.c_str());
        Tensor lying({1, 3, 6, 5});
        lying.data.resize(7);
        QVERIFY(!error_of([&] { model.run(lying); }).empty());
        // The model still works afterwards.
        QCOMPARE(model.run(input(1)).size(), size_t(2));
    }

    void patternMatchesTheContract() {
        // v(0,0,0,0) = 0.5 + 0.5 sin(0.37) = 0.68081 -> round(173.606) = 174; v(0,2,1,3) by hand as well.
        const std::vector<uint8_t> px = pattern_pixels({1, 3, 2, 4});
        QCOMPARE(int(px[0]), 174);
        const double v = 0.5 + 0.5 * std::sin(0.37 * 3 + 0.113 * 1 + 0.071 * 3) * std::cos(0.029 * 1 - 0.047 * 3);
        QCOMPARE(int(px[2 * 8 + 1 * 4 + 3]), int(std::floor(255 * v + 0.5)));
        const Tensor x = pattern_image({1, 3, 2, 4}, {0.5, 1, 2}, {1, 0, -1});
        QCOMPARE(x.data[0], 174 * 0.5f + 1);
        QCOMPARE(x.data[8], float(px[8]) * 1.0f);
        const std::vector<float> a = pattern_audio();
        QCOMPARE(a.size(), size_t(16000));
        QCOMPARE(a[0], 0.0f);
        const double t = 1000.0 / 16000;
        QVERIFY(std::abs(a[1000] - (0.3 * std::sin(2 * M_PI * 180 * t) * (0.5 + 0.5 * std::sin(2 * M_PI * 2.5 * t)) +
                                    0.05 * std::sin(2 * M_PI * 1234 * t))) < 1e-7);
    }

    void referenceCheckPlumbingImageAndAudio() {
        for (const char* name : {"tiny_image", "tiny_audio"}) {
            const ModelManifest m = load_manifest(zoo_ / name / "manifest.json");
            const ReferenceCheck c = check_against_reference(m, pt(name), cpu(), 2);
            QVERIFY2(c.parity.pass, c.parity.reason.c_str());
            QCOMPARE(c.parity.outputs.size(), size_t(2));
            for (const OutputParity& o : c.parity.outputs) {
                QCOMPARE(o.samples, size_t(258));
                QVERIFY2(o.worst_rel < 1e-6, qPrintable(QString("%1 %2").arg(o.name.c_str()).arg(o.worst_rel)));
            }
            QVERIFY(c.run_ms > 0);
            QCOMPARE(c.runs, 2);
        }
        // The audio stream ran 250 chunks of 64 samples, the state fed back each time.
        const ModelManifest audio = load_manifest(zoo_ / "tiny_audio" / "manifest.json");
        const ReferenceCheck c = check_against_reference(audio, pt("tiny_audio"), cpu(), 1);
        QCOMPARE(c.parity.outputs[0].shape, (std::vector<int64_t>{250, 1, 1}));
        QCOMPARE(c.parity.outputs[1].shape, (std::vector<int64_t>{250, 2, 1, 4}));
    }

    void referenceCheckCatchesADifference() {
        const ModelManifest m = load_manifest(zoo_ / "tiny_off" / "manifest.json");
        const ReferenceCheck c = check_against_reference(m, pt("tiny_off"), cpu(), 1);
        QVERIFY(!c.parity.pass);
        QVERIFY2(c.parity.reason.find("output 'sums' differs at index") == 0, c.parity.reason.c_str());
        QVERIFY(c.parity.outputs[0].worst_rel > 1e-4 && c.parity.outputs[0].worst_rel < 2e-3);
        // An output missing from the model, and a shape that does not match, are failures too.
        ReferenceData ref = load_reference(m.reference_path());
        const ParityResult none = compare_with_reference(ref, {"other", "mean_map"}, {Tensor({1, 3}), Tensor({1, 1, 6, 5})});
        QVERIFY(!none.pass);
        QVERIFY2(none.reason.find("output 'sums' of the reference is not among") == 0, none.reason.c_str());
        const ParityResult shape = compare_with_reference(ref, {"sums", "mean_map"}, {Tensor({1, 4}), Tensor({1, 1, 6, 5})});
        QVERIFY(!shape.pass);
        QVERIFY2(shape.reason.find("has shape [1, 4], the reference [1, 3]") != std::string::npos, shape.reason.c_str());
    }

    void cliVerifiesTheZoo() {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("FRAMELINE_MODELS_DIR", QString::fromStdString(zoo_.string()));
        env.insert("XDG_DATA_HOME", tmp_.filePath("data"));
        env.insert("XDG_CACHE_HOME", tmp_.filePath("cache"));
        auto run = [&](const QStringList& args) {
            auto p = std::make_unique<QProcess>();
            p->setProcessEnvironment(env);
            p->start(test::cli_path(), args);
            p->waitForFinished(120000);
            return p;
        };
        auto good = run({"models", "verify", "tiny_image", "tiny_audio", "--json", "--device", "cpu", "--runs", "1"});
        const QString good_err = QString::fromUtf8(good->readAllStandardError());
        QVERIFY2(good->exitCode() == 0, qPrintable(good_err));
        const QJsonObject doc = QJsonDocument::fromJson(good->readAllStandardOutput()).object();
        QCOMPARE(doc["passed"].toInt(), 2);
        QCOMPARE(doc["device"].toObject()["kind"].toString(), QString("cpu"));
        const QJsonObject first = doc["models"].toArray()[0].toObject();
        QCOMPARE(first["name"].toString(), QString("tiny_image"));
        QCOMPARE(first["status"].toString(), QString("pass"));
        QCOMPARE(first["outputs"].toArray().size(), 2);
        QVERIFY(first["outputs"].toArray()[0].toObject()["worst_abs"].toDouble() < 1e-4);
        QVERIFY(first.contains("run_ms") && first.contains("load_ms"));

        auto all = run({"models", "verify", "--json", "--device", "cpu", "--runs", "1"});
        QCOMPARE(all->exitCode(), 1);
        const QString err = QString::fromUtf8(all->readAllStandardError()).trimmed();
        QVERIFY2(!err.contains('\n') && err.contains("tiny_off: output 'sums' differs"), qPrintable(err));
        const QJsonObject all_doc = QJsonDocument::fromJson(all->readAllStandardOutput()).object();
        QCOMPARE(all_doc["failed"].toInt(), 1);
        QCOMPARE(all_doc["passed"].toInt(), 2);

        auto list = run({"models", "list", "--json"});
        QCOMPARE(list->exitCode(), 0);
        const QJsonArray models = QJsonDocument::fromJson(list->readAllStandardOutput()).object()["models"].toArray();
        QCOMPARE(models.size(), 3);
        for (const auto& m : models) QCOMPARE(m.toObject()["state"].toString(), QString("ready"));

        auto bench = run({"models", "bench", "tiny_image", "--json", "--device", "cpu", "--batch", "1,4", "--runs", "2"});
        QCOMPARE(bench->exitCode(), 0);
        const QJsonArray b = QJsonDocument::fromJson(bench->readAllStandardOutput())
                                 .object()["models"].toArray()[0].toObject()["batches"].toArray();
        QCOMPARE(b.size(), 2);
        QCOMPARE(b[1].toObject()["batch"].toInt(), 4);
    }
};

QTEST_GUILESS_MAIN(TestTorchModel)
#include "tst_torch_model.moc"
