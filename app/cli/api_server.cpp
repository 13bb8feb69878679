#include "app/cli/api_server.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <mutex>
#include <optional>
#include <vector>

#include "app/cli/cli_output.h"
#include "core/analysis/personalised_artwork.h"
#include "core/analysis/title_facts.h"
#include "core/error.h"
#include "core/search/like_index.h"
#include "core/search/media_text_sources.h"
#include "core/search/mood_profile.h"
#include "core/search/scene_search.h"
#include "core/store/store.h"

namespace frameline::cli {

namespace {

using json = nlohmann::ordered_json;

// Database connections for the server's threads: opened when first needed, kept for the next request.
class StorePool {
public:
    explicit StorePool(std::string url) : url_(std::move(url)) {}

    class Lease {
    public:
        Lease(StorePool& pool, std::unique_ptr<Store> store) : pool_(pool), store_(std::move(store)) {}
        ~Lease() { pool_.give_back(std::move(store_)); }
        Store& operator*() { return *store_; }
        Store* operator->() { return store_.get(); }

    private:
        StorePool& pool_;
        std::unique_ptr<Store> store_;
    };

    Lease borrow() {
        {
            std::lock_guard lock(mutex_);
            if (!idle_.empty()) {
                std::unique_ptr<Store> s = std::move(idle_.back());
                idle_.pop_back();
                return Lease(*this, std::move(s));
            }
        }
        return Lease(*this, open_store(url_));
    }

private:
    void give_back(std::unique_ptr<Store> s) {
        if (!s) return;
        std::lock_guard lock(mutex_);
        idle_.push_back(std::move(s));
    }
    std::string url_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<Store>> idle_;
};

// A request the client must change: 400 unless another status is given.
struct BadRequest {
    int status = 400;
    std::string message;
};

void reply(httplib::Response& res, int status, const json& body) {
    res.status = status;
    res.set_content(body.dump(), "application/json");
}

int64_t id_param(const std::string& text, const char* what) {
    try {
        size_t used = 0;
        const long long v = std::stoll(text, &used);
        if (used == text.size() && v > 0) return v;
    } catch (const std::exception&) {
    }
    throw BadRequest{400, std::string(what) + " '" + text + "' is not a positive integer id"};
}

int limit_param(const httplib::Request& req) {
    if (!req.has_param("limit")) return 50;
    const std::string text = req.get_param_value("limit");
    try {
        size_t used = 0;
        const int v = std::stoi(text, &used);
        if (used == text.size() && v >= 1 && v <= 1000) return v;
    } catch (const std::exception&) {
    }
    throw BadRequest{400, "limit '" + text + "' must be a whole number from 1 to 1000"};
}

double ms_since(std::chrono::steady_clock::time_point t0) {
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return std::round(ms * 10) / 10;
}

// Constant time in the token's length: a wrong guess says nothing about how much of it was right.
bool same_token(const std::string& given, const std::string& expected) {
    if (given.size() != expected.size()) return false;
    unsigned char diff = 0;
    for (size_t i = 0; i < given.size(); ++i) diff |= static_cast<unsigned char>(given[i] ^ expected[i]);
    return diff == 0;
}

}  // namespace

struct ApiServer::Impl {
    explicit Impl(ApiOptions o) : options(std::move(o)), pool(options.database_url) {
        if (!options.segments_json.empty()) profiles = parse_segment_profiles(options.segments_json);
    }

    ApiOptions options;
    StorePool pool;
    // The "more like this" vector indexes, kept between requests (each is reopened only when the database changed:
    // like_index.h); building one per request was a third of a "like" request's time (bench_serve).
    std::shared_ptr<LikeIndexes> like_indexes = std::make_shared<LikeIndexes>();
    SegmentProfiles profiles;
    httplib::Server server;
    int port = 0;
    int listening_socket = -1;

    // Runs `handler`, turning what it throws into the JSON error replies the header lists.
    template <typename F>
    void guarded(httplib::Response& res, F&& handler) {
        try {
            handler();
        } catch (const BadRequest& e) {
            reply(res, e.status, {{"error", e.message}});
        } catch (const std::exception& e) {
            reply(res, 500, {{"error", e.what()}});
        }
    }

    void titles(const httplib::Request&, httplib::Response& res) {
        auto store = pool.borrow();
        json list = json::array();
        for (const TitleRecord& t : store->titles()) list.push_back(title_json(t));
        reply(res, 200, {{"titles", list}});
    }

    void search(const httplib::Request& req, httplib::Response& res) {
        auto store = pool.borrow();
        SceneQuery q;
        q.text = req.get_param_value("text");
        q.mood = req.get_param_value("mood");
        try {
            expand_query_text(*store, q);  // the one query syntax: words, tag:, character:, mood:, like:FRAME_ID
        } catch (const Error& e) {
            throw BadRequest{400, e.what()};
        }
        q.embedding_model = req.get_param_value("model");
        q.limit = limit_param(req);
        if (req.has_param("title")) {
            const std::string key = req.get_param_value("title");
            auto title = store->find_title(key);
            if (!title) throw BadRequest{404, "no title '" + key + "' — GET /v1/titles lists them"};
            q.title_id = title->id;
        }
        try {
            if (req.has_param("like") && req.has_param("like_shot"))
                throw BadRequest{400, "give one example: like=TITLE:FRAME or like_shot=TITLE:SHOT"};
            if (req.has_param("like"))
                parse_like_frame(*store, req.get_param_value("like"), &q.like_title_id, &q.like_frame);
            if (req.has_param("like_shot"))
                parse_like_shot(*store, req.get_param_value("like_shot"), &q.like_title_id, &q.like_shot);
            if (q.text.empty() && q.mood.empty() && q.like_frame < 0 && q.like_shot < 0 && q.tags.empty() &&
                q.characters.empty())
                throw BadRequest{400, "give text= (words, tag:, character:, mood:, like:FRAME_ID), mood=, "
                                      "like=TITLE:FRAME or like_shot=TITLE:SHOT"};
            SceneSearch search(*store, like_indexes);
            add_standard_text_sources(search);
            const auto t0 = std::chrono::steady_clock::now();
            const std::vector<SceneHit> hits = search.search(q);
            const double took_ms =
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
            json list = json::array();
            for (const SceneHit& h : hits) list.push_back(scene_hit_json(h));
            json query = scene_query_json(q);
            if (q.like_shot >= 0) query["like"] = {{"title_id", q.like_title_id}, {"shot_index", q.like_shot}};  // as the CLI
            reply(res, 200, {{"query", query}, {"results", list}, {"took_ms", std::round(took_ms * 10) / 10}});
        } catch (const Error& e) {
            throw BadRequest{400, e.what()};  // the query names something that is not there, or says nothing
        }
    }

    // Titles like a title (its title embedding), with the shot pairs behind each score.
    void similar(const httplib::Request& req, httplib::Response& res) {
        const int64_t id = id_param(req.matches[1], "title");
        const int limit = limit_param(req);
        auto store = pool.borrow();
        const auto title = store->title(id);
        if (!title) throw BadRequest{404, "no title " + std::to_string(id) + " — GET /v1/titles lists them"};
        const auto t0 = std::chrono::steady_clock::now();
        std::vector<TitleHit> hits;
        try {
            hits = similar_titles(*store, *like_indexes, id, limit, req.get_param_value("model"));
        } catch (const Error& e) {
            throw BadRequest{400, e.what()};  // no title embeddings, an unknown model
        }
        json list = json::array();
        for (const TitleHit& h : hits) list.push_back(title_hit_json(h));
        reply(res, 200, {{"title", title_json(*title)}, {"results", list}, {"took_ms", ms_since(t0)}});
    }

    // Titles nearest to a mood or a mix of moods (mood_profile.h).
    void mood_titles(const httplib::Request& req, httplib::Response& res) {
        const std::string text = req.get_param_value("mood");
        if (text.empty()) throw BadRequest{400, "give mood=M (e.g. tense, or tense:0.7,dark:0.3)"};
        const int limit = limit_param(req);
        auto store = pool.borrow();
        const auto t0 = std::chrono::steady_clock::now();
        MoodQuery mood;
        try {
            mood = parse_mood_query(*store, text);
        } catch (const Error& e) {
            throw BadRequest{400, e.what()};
        }
        json list = json::array();
        for (const MoodHit& h : nearest_mood_titles(*store, mood, {0, limit}))
            list.push_back({{"title_id", h.title_id},
                            {"title", h.title_name},
                            {"score", std::round(h.score * 1000) / 1000},
                            {"profile", h.profile},
                            {"why", h.why}});
        reply(res, 200, {{"query", {{"mood", mood.text()}}}, {"results", list}, {"took_ms", ms_since(t0)}});
    }

    void artwork(const httplib::Request& req, httplib::Response& res) {
        const int64_t id = id_param(req.matches[1], "title");
        auto store = pool.borrow();
        const auto title = store->title(id);
        if (!title) throw BadRequest{404, "no title " + std::to_string(id) + " — GET /v1/titles lists them"};
        ArtworkContext ctx;
        for (ArtworkCandidate& a : store->artwork_candidates(id))  // the reviewers' order (rank, then score)
            if (a.state != ReviewState::Rejected) ctx.artwork.push_back(std::move(a));
        json doc{{"title", title_json(*title)}, {"segment", nullptr}};
        json list = json::array();
        if (!req.has_param("segment")) {
            for (const ArtworkCandidate& a : ctx.artwork) list.push_back(artwork_json(a));
            doc["artwork"] = list;
            return reply(res, 200, doc);
        }
        const std::string name = req.get_param_value("segment");
        const auto segment = std::find_if(profiles.segments.begin(), profiles.segments.end(),
                                          [&](const SegmentProfile& s) { return s.id == name; });
        if (segment == profiles.segments.end())
            throw BadRequest{404, "no segment '" + name + "'" +
                                      (profiles.segments.empty() ? " (the server was started without --segments)"
                                                                 : " in the server's --segments profiles")};
        const TitleFacts facts = load_title_facts(*store, id);
        ctx.facts = &facts;
        ctx.tags = store->tags(id);
        ctx.characters = store->characters(id);
        for (const SegmentRank& r : rank_artwork_for_segment(ctx, *segment)) {
            json a = artwork_json(ctx.artwork[r.candidate]);
            a["segment_score"] = r.score;
            a["affinity"] = r.affinity;
            a["matched"] = json::parse(r.matched, nullptr, false);
            a["variant"] = artwork_variant_id(*title, ctx.artwork[r.candidate].frame_index);
            list.push_back(std::move(a));
        }
        doc["segment"] = name;
        doc["artwork"] = list;
        reply(res, 200, doc);
    }

    void thumbnail(const httplib::Request& req, httplib::Response& res) {
        const int64_t id = id_param(req.matches[1], "frame");
        auto store = pool.borrow();
        const std::vector<uint8_t> jpeg = store->thumbnail_jpeg(id);
        if (jpeg.empty()) throw BadRequest{404, "no thumbnail for frame " + std::to_string(id)};
        res.status = 200;
        res.set_content(std::string(jpeg.begin(), jpeg.end()), "image/jpeg");
    }

    void routes() {
        if (!options.token.empty()) {
            server.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
                const std::string auth = req.get_header_value("Authorization");
                if (auth.rfind("Bearer ", 0) == 0 && same_token(auth.substr(7), options.token))
                    return httplib::Server::HandlerResponse::Unhandled;
                reply(res, 401, {{"error", "send the server's token as 'Authorization: Bearer TOKEN'"}});
                return httplib::Server::HandlerResponse::Handled;
            });
        }
        auto route = [this](auto member) {
            return [this, member](const httplib::Request& req, httplib::Response& res) {
                guarded(res, [&] { (this->*member)(req, res); });
            };
        };
        server.Get("/v1/health", [this](const httplib::Request&, httplib::Response& res) {
            guarded(res, [&] {
                auto store = pool.borrow();
                reply(res, 200, {{"status", "ok"}, {"titles", store->titles().size()}});
            });
        });
        server.Get("/v1/titles", route(&Impl::titles));
        server.Get("/v1/search", route(&Impl::search));
        server.Get(R"(/v1/titles/([^/]+)/artwork)", route(&Impl::artwork));
        server.Get(R"(/v1/titles/([^/]+)/similar)", route(&Impl::similar));
        server.Get("/v1/moods/titles", route(&Impl::mood_titles));
        server.Get(R"(/v1/frames/([^/]+)/thumbnail)", route(&Impl::thumbnail));
        server.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
            if (res.status == 404 && res.body.empty())
                reply(res, 404, {{"error", "no route " + req.method + " " + req.path + " — see GET /v1/health"}});
        });
        server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
            reply(res, 500, {{"error", "the server failed on this request"}});
        });
        // httplib's default also sets SO_REUSEPORT, which lets a second server bind the same port and share its
        // connections: a port in use must be an error instead.
        server.set_socket_options([this](socket_t sock) {
            int yes = 1;
            setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
            listening_socket = sock;
        });
        // Without it each response waits for the client's delayed ACK (Nagle): 40 ms a request on loopback.
        server.set_tcp_nodelay(true);
        // httplib closes a keep-alive connection after 5 requests: an application asking many questions would pay a
        // new connection (accept, a thread hand-off) every fifth one. Keep it open as web servers do (nginx: 1000).
        server.set_keep_alive_max_count(1000);
        const int threads = std::max(1, options.threads);
        server.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
    }
};

ApiServer::ApiServer(ApiOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
    {
        auto probe = impl_->pool.borrow();  // a database that cannot be opened fails here, not on the first request
    }
    impl_->routes();
    const ApiOptions& o = impl_->options;
    impl_->port = o.port == 0 ? impl_->server.bind_to_any_port(o.host)
                              : (impl_->server.bind_to_port(o.host, o.port) ? o.port : -1);
    if (impl_->port <= 0)
        throw Error("cannot listen on " + o.host + ":" + std::to_string(o.port) +
                    " — is the port taken? Choose another with --port, or 0 for any free one");
    // Debian's libcpp-httplib is built with a listen backlog of 5: 50 clients connecting at once overflow it and
    // the rest retry after a second. Listening again on the same socket sets a longer queue (Linux allows it).
    if (impl_->listening_socket >= 0) ::listen(impl_->listening_socket, SOMAXCONN);
}

ApiServer::~ApiServer() { stop(); }

int ApiServer::port() const { return impl_->port; }

void ApiServer::run() { impl_->server.listen_after_bind(); }

void ApiServer::stop() { impl_->server.stop(); }

}  // namespace frameline::cli
