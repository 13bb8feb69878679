#include "core/models/model_manifest.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "core/error.h"
#include "core/models/sha256.h"

namespace frameline {
namespace {

using nlohmann::json;

// Every complaint is one line: the file, the field, what is wrong, and what to do.
struct ManifestReader {
    std::filesystem::path file;

    [[noreturn]] void fail(const std::string& what) const {
        throw Error(file.string() + ": " + what + "; fix the manifest");
    }

    const json* find(const json& obj, const std::string& key) const {
        auto it = obj.find(key);
        return it == obj.end() || it->is_null() ? nullptr : &*it;
    }
    const json& need(const json& obj, const std::string& key, const std::string& field) const {
        const json* v = find(obj, key);
        if (!v) fail(field + " is missing");
        return *v;
    }
    std::string string_at(const json& obj, const std::string& key, const std::string& field, bool required,
                          const std::string& fallback = {}) const {
        const json* v = required ? &need(obj, key, field) : find(obj, key);
        if (!v) return fallback;
        if (!v->is_string()) fail(field + " must be a string");
        return v->get<std::string>();
    }
    std::string choice_at(const json& obj, const std::string& key, const std::string& field, bool required,
                          const std::vector<std::string>& allowed, const std::string& fallback = {}) const {
        std::string s = string_at(obj, key, field, required, fallback);
        if (std::find(allowed.begin(), allowed.end(), s) == allowed.end()) {
            std::string list;
            for (const auto& a : allowed) list += (list.empty() ? "" : " | ") + a;
            fail(field + " is '" + s + "', expected one of " + list);
        }
        return s;
    }
    int64_t int_at(const json& obj, const std::string& key, const std::string& field, bool required, int64_t fallback,
                   int64_t min_value) const {
        const json* v = required ? &need(obj, key, field) : find(obj, key);
        if (!v) return fallback;
        if (!v->is_number_integer()) fail(field + " must be an integer");
        const int64_t n = v->get<int64_t>();
        if (n < min_value) fail(field + " must be at least " + std::to_string(min_value));
        return n;
    }
    bool bool_at(const json& obj, const std::string& key, const std::string& field, bool fallback) const {
        const json* v = find(obj, key);
        if (!v) return fallback;
        if (!v->is_boolean()) fail(field + " must be true or false");
        return v->get<bool>();
    }
    // A shape: an array of integers >= min_dim (-1 = any size, where allowed).
    std::vector<int64_t> shape_at(const json& obj, const std::string& key, const std::string& field,
                                  int64_t min_dim) const {
        const json& v = need(obj, key, field);
        if (!v.is_array() || v.empty()) fail(field + " must be a non-empty array of integers");
        std::vector<int64_t> shape;
        for (size_t i = 0; i < v.size(); ++i) {
            const std::string f = field + "[" + std::to_string(i) + "]";
            if (!v[i].is_number_integer()) fail(f + " must be an integer");
            const int64_t d = v[i].get<int64_t>();
            if (d < min_dim || d == 0)
                fail(f + " is " + std::to_string(d) + ", expected a size >= 1" + (min_dim < 0 ? " or -1 (any)" : ""));
            shape.push_back(d);
        }
        return shape;
    }
    std::vector<std::string> strings_at(const json& obj, const std::string& key, const std::string& field) const {
        const json* v = find(obj, key);
        if (!v) return {};
        if (!v->is_array()) fail(field + " must be an array of strings");
        std::vector<std::string> out;
        for (size_t i = 0; i < v->size(); ++i) {
            if (!(*v)[i].is_string()) fail(field + "[" + std::to_string(i) + "] must be a string");
            out.push_back((*v)[i].get<std::string>());
        }
        return out;
    }
    // A number, or an array with one number per channel: expanded to `channels` values.
    std::vector<double> per_channel_at(const json& obj, const std::string& key, const std::string& field,
                                       int channels, bool required, double fallback) const {
        const json* v = required ? &need(obj, key, field) : find(obj, key);
        if (!v) return std::vector<double>(channels, fallback);
        const std::string expect = " must be a number or an array of " + std::to_string(channels) + " numbers";
        if (v->is_number()) return std::vector<double>(channels, v->get<double>());
        if (!v->is_array() || static_cast<int>(v->size()) != channels) fail(field + expect);
        std::vector<double> out;
        for (const json& x : *v) {
            if (!x.is_number()) fail(field + expect);
            out.push_back(x.get<double>());
        }
        return out;
    }
    const json& object_at(const json& obj, const std::string& key, const std::string& field) const {
        const json& v = need(obj, key, field);
        if (!v.is_object()) fail(field + " must be an object");
        return v;
    }
};

ModelInput read_input(const ManifestReader& r, const json& in) {
    ModelInput input;
    input.json = in.dump();
    input.kind = r.choice_at(in, "kind", "input.kind", true, {"image", "audio", "tokens"});
    input.fixed_batch = r.bool_at(in, "fixed_batch", "input.fixed_batch", false);
    if (input.kind == "image") {
        input.shape = r.shape_at(in, "shape", "input.shape", 1);
        if (input.shape.size() != 4) r.fail("input.shape must have 4 dimensions (N, C, H, W)");
        input.colour = r.choice_at(in, "colour", "input.colour", false, {"rgb", "bgr", "grey"}, "rgb");
        const int c = input.channels();
        if (input.colour == "grey" ? (c != 1 && c != 3) : c != 3)
            r.fail("input.shape[1] is " + std::to_string(c) + " channels, which does not fit colour '" +
                   input.colour + "' (rgb and bgr need 3, grey 1 or 3)");
        input.scale = r.per_channel_at(in, "scale", "input.scale", c, true, 1.0);
        input.offset = r.per_channel_at(in, "offset", "input.offset", c, false, 0.0);
        input.resize = r.choice_at(in, "resize", "input.resize", false, {"stretch", "letterbox"}, "stretch");
    } else {
        input.shape = r.shape_at(in, "shape", "input.shape", -1);
        if (input.kind == "audio") {
            input.sample_rate = static_cast<int>(r.int_at(in, "sample_rate", "input.sample_rate", true, 0, 1));
            input.chunk_samples = static_cast<int>(r.int_at(in, "chunk_samples", "input.chunk_samples", true, 0, 1));
        }
    }
    return input;
}

}  // namespace

const std::vector<std::string>& known_model_tasks() {
    static const std::vector<std::string> tasks = {
        "object_detection", "face_detection", "face_landmarks", "expression",      "face_attributes", "face_identity",
        "maturity",         "voice_activity", "image_embedding", "text_embedding", "classifier"};
    return tasks;
}

const std::vector<std::string>& known_model_formats() {
    static const std::vector<std::string> formats = {"tfjs-graph", "onnx-silero", "torchscript"};
    return formats;
}

ModelManifest parse_manifest(const std::string& text, const std::filesystem::path& file) {
    ManifestReader r{file};
    json doc;
    try {
        doc = json::parse(text);
    } catch (const json::parse_error& e) {
        std::string what = e.what();
        // "[json.exception.parse_error.101] parse error at line 3, ..." -> "parse error at line 3, ..."
        if (auto pos = what.find("] "); pos != std::string::npos) what = what.substr(pos + 2);
        std::replace(what.begin(), what.end(), '\n', ' ');
        r.fail("not valid JSON (" + what + ")");
    }
    if (!doc.is_object()) r.fail("the document must be a JSON object");

    ModelManifest m;
    m.path = file;
    m.sha256 = sha256_hex(text);
    m.name = r.string_at(doc, "name", "name", true);
    if (!std::regex_match(m.name, std::regex("[a-z0-9_]+")))
        r.fail("name '" + m.name + "' must use only a-z, 0-9 and _");
    const std::string folder = file.parent_path().filename().string();
    if (!folder.empty() && folder != m.name)
        r.fail("name '" + m.name + "' must equal its folder's name '" + folder + "'");
    m.task = r.choice_at(doc, "task", "task", true, known_model_tasks());
    m.description = r.string_at(doc, "description", "description", false);
    m.revision = static_cast<int>(r.int_at(doc, "revision", "revision", false, 0, 0));
    m.format = r.choice_at(doc, "format", "format", true, known_model_formats());
    const bool own_file = m.format == "torchscript";
    if (own_file) {
        m.file = r.string_at(doc, "file", "file", true);
        if (m.file.empty()) r.fail("file must name the TorchScript file beside the manifest");
    }
    if (own_file && !r.find(doc, "source")) {
        // A user's own model need not say where it came from.
    } else {
        const json& src = r.object_at(doc, "source", "source");
        m.source.registry = r.string_at(src, "registry", "source.registry", !own_file);
        m.source.package = r.string_at(src, "package", "source.package", !own_file);
        m.source.version = r.string_at(src, "version", "source.version", !own_file);
        m.source.files = r.strings_at(src, "files", "source.files");
        m.source.licence = r.string_at(src, "licence", "source.licence", !own_file);
        m.source.homepage = r.string_at(src, "homepage", "source.homepage", false);
    }
    m.input = read_input(r, r.object_at(doc, "input", "input"));

    const json& outs = r.need(doc, "outputs", "outputs");
    if (!outs.is_array() || outs.empty()) r.fail("outputs must be a non-empty array of objects");
    std::set<std::string> names;
    for (size_t i = 0; i < outs.size(); ++i) {
        const std::string f = "outputs[" + std::to_string(i) + "]";
        if (!outs[i].is_object()) r.fail(f + " must be an object");
        ModelOutput o;
        o.name = r.string_at(outs[i], "name", f + ".name", true);
        if (!names.insert(o.name).second) r.fail(f + ".name '" + o.name + "' is used twice");
        o.shape = r.shape_at(outs[i], "shape", f + ".shape", -1);
        o.layout = r.string_at(outs[i], "layout", f + ".layout", false);
        o.description = r.string_at(outs[i], "description", f + ".description", false);
        m.outputs.push_back(std::move(o));
    }
    m.labels = r.strings_at(doc, "labels", "labels");
    m.reference = r.string_at(doc, "reference", "reference", false);
    if (m.reference.find('/') != std::string::npos || m.reference == "..")
        r.fail("reference must be a file name beside the manifest");
    return m;
}

ModelManifest load_manifest(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw Error(file.string() + ": cannot read the manifest (missing or not readable)");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_manifest(text.str(), file);
}

}  // namespace frameline
