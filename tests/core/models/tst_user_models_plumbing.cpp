// PLUMBING, NOT QUALITY: models users bring are picked up from their folder without recompiling, run on sampled
// frames, and their outputs land where search and tags read them. The models are tiny, randomly initialised
// TorchScript files that this test makes with Debian's python3-torch; it also computes what they must output, and
// the C++ side must give the same numbers.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <fstream>

#include "core/error.h"
#include "core/models/compute_device.h"
#include "core/models/user_models.h"

using namespace frameline;
namespace fs = std::filesystem;

namespace {

const char* kMakeModels = R"py(
import json, sys, torch
torch.manual_seed(7)
root = sys.argv[1]
class Image(torch.nn.Module):
    def __init__(self, out):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, out, 3, padding=1)
    def forward(self, x):
        return self.conv(x).mean(dim=(2, 3))
class Text(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.bag = torch.nn.EmbeddingBag(257, 8, mode='sum', padding_idx=0)
    def forward(self, ids):
        return self.bag(ids.long())
def save(name, module, manifest):
    import os
    os.makedirs(f'{root}/{name}', exist_ok=True)
    torch.jit.script(module.eval()).save(f'{root}/{name}/{name}.pt')
    manifest.update({'name': name, 'format': 'torchscript', 'file': f'{name}.pt', 'revision': 1})
    json.dump(manifest, open(f'{root}/{name}/manifest.json', 'w'))
image, classifier, text = Image(8), Image(3), Text()
img_in = {'kind': 'image', 'shape': [1, 3, 16, 16], 'colour': 'rgb', 'scale': 1 / 255, 'offset': 0}
save('tiny_image', image, {'task': 'image_embedding', 'input': img_in, 'outputs': [{'name': 'v', 'shape': [1, 8]}]})
save('tiny_classes', classifier, {'task': 'classifier', 'input': img_in, 'labels': ['a', 'b', 'c'],
                                  'outputs': [{'name': 'logits', 'shape': [1, 3]}]})
save('tiny_text', text, {'task': 'text_embedding', 'pairs_with': 'tiny_image',
                         'input': {'kind': 'tokens', 'shape': [1, 12], 'tokenizer': 'bytes'},
                         'outputs': [{'name': 'v', 'shape': [1, 8]}]})
with torch.no_grad():
    solid = torch.tensor([200 / 255, 30 / 255, 60 / 255]).view(1, 3, 1, 1).expand(1, 3, 16, 16)
    ids = torch.zeros(1, 12)
    for i, b in enumerate('red car'.encode()):
        ids[0, i] = b + 1
    v, t = image(solid)[0], text(ids)[0]
    p = torch.softmax(classifier(solid)[0], 0)
print(json.dumps({'image': (v / v.norm()).tolist(), 'text': (t / t.norm()).tolist(), 'classes': p.tolist()}))
)py";

RgbImage solid(int width, int height) {
    RgbImage image{width, height, {}};
    for (int i = 0; i < width * height; ++i) image.rgb.insert(image.rgb.end(), {200, 30, 60});
    return image;
}

}  // namespace

class TestUserModelsPlumbing : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QJsonObject expected_;
    ZooPaths paths_;

private Q_SLOTS:
    void initTestCase() {
        const fs::path user = fs::path(dir_.path().toStdString()) / "user";
        fs::create_directories(user);
        // From a file: TorchScript reads the modules' source code.
        const QString script = dir_.filePath("make_models.py");
        std::ofstream(script.toStdString()) << kMakeModels;
        QProcess python;
        python.start("/usr/bin/python3", {script, QString::fromStdString(user.string())});
        QVERIFY(python.waitForFinished(120000));
        QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
        expected_ = QJsonDocument::fromJson(python.readAllStandardOutput()).object();
        QVERIFY(!expected_.isEmpty());
        paths_.manifest_dirs = {{user, "user"}};
        paths_.converted_dir = fs::path(dir_.path().toStdString()) / "cache";
        // A broken folder beside them must not stop the others.
        fs::create_directories(user / "broken");
        std::ofstream(user / "broken" / "manifest.json") << "{\"name\": \"broken\",";
    }

    void imageModelsRunOnSampledFrames() {
        const ComputeDevice cpu = choose_compute_device("cpu", 1);
        UserFrameModels models(cpu, paths_);
        QVERIFY(!models.empty());
        QCOMPARE(int(models.skipped().size()), 1);
        QVERIFY2(QString::fromStdString(models.skipped()[0]).startsWith("broken"), models.skipped()[0].c_str());
        QVERIFY(models.version().find("tiny_image@1") != std::string::npos);
        // Two frames of different sizes: each is resized to the model's 16x16 input.
        std::vector<SampledPicture> batch = {{12, 0.5, 0, solid(64, 36)}, {40, 1.6, 1, solid(32, 32)}};
        ModelRunOutput out;
        models.analyse(batch, out);
        QCOMPARE(int(out.embeddings.size()), 2);
        QCOMPARE(out.embeddings[1].model, std::string("tiny_image"));
        QCOMPARE(out.embeddings[1].entity_key, int64_t(40));
        const QJsonArray want = expected_["image"].toArray();
        QCOMPARE(int(out.embeddings[0].vector.size()), int(want.size()));
        for (int i = 0; i < want.size(); ++i) {
            QVERIFY(std::abs(out.embeddings[0].vector[i] - want[i].toDouble()) < 1e-4);
            QVERIFY(std::abs(out.embeddings[1].vector[i] - want[i].toDouble()) < 1e-4);
        }
        QCOMPARE(int(out.frame_scores.size()), 2);
        QCOMPARE(out.frame_scores[0].model, std::string("tiny_classes"));
        const QJsonObject scores = QJsonDocument::fromJson(QByteArray::fromStdString(out.frame_scores[0].scores)).object();
        const QJsonArray classes = expected_["classes"].toArray();
        QVERIFY(std::abs(scores["b"].toDouble() - classes[1].toDouble()) < 1e-4);
    }

    void textModelEncodesQueriesIntoTheImageSpace() {
        const ComputeDevice cpu = choose_compute_device("cpu", 1);
        TextEncoder text("tiny_text", cpu, paths_);
        QCOMPARE(text.pairs_with(), std::string("tiny_image"));
        const std::vector<float> v = text.encode("red car");
        const QJsonArray want = expected_["text"].toArray();
        QCOMPARE(int(v.size()), int(want.size()));
        double norm = 0;
        for (int i = 0; i < want.size(); ++i) {
            QVERIFY(std::abs(v[i] - want[i].toDouble()) < 1e-4);
            norm += double(v[i]) * v[i];
        }
        QVERIFY(std::abs(norm - 1.0) < 1e-5);
        QCOMPARE(byte_tokens("ab", 4), (std::vector<float>{98, 99, 0, 0}));
        QVERIFY_THROWS_EXCEPTION(Error, TextEncoder("tiny_image", cpu, paths_));  // not a text model
        QVERIFY_THROWS_EXCEPTION(Error, TextEncoder("nobody", cpu, paths_));
    }
};

QTEST_GUILESS_MAIN(TestUserModelsPlumbing)
#include "tst_user_models_plumbing.moc"
