#pragma once
// The read-only HTTP JSON API of `frameline-cli serve` (issue #9 item 5), for applications: titles, scene search
// and "more like this", a title's picked artwork (per audience segment when profiles are given), thumbnails.
// cpp-httplib only here. Each request borrows a database connection from a pool (one writer/reader per connection,
// DESIGN.md), so requests run in parallel on the server's threads.
//
//   GET /v1/health                          {"status":"ok","titles":N}
//   GET /v1/titles                          {"titles":[title...]}
//   GET /v1/search?text=&mood=&like=TITLE:FRAME|like_shot=TITLE:SHOT&title=&model=&limit=
//                                           {"query":{...},"results":[hit...],"took_ms":T}   (as `search --json`)
//   GET /v1/titles/{id}/similar[?limit=]    titles like this one (as `search --like-title --json`)
//   GET /v1/moods/titles?mood=M[&limit=]    titles nearest to a mood or a mix (as `search --mood M --titles --json`)
//   GET /v1/titles/{id}/artwork[?segment=S] {"title":{...},"segment":S|null,"artwork":[candidate...]}: the picked
//                                           candidates (not rejected) in the reviewers' order; with a segment (from
//                                           --segments), ranked for it with score and affinity
//   GET /v1/frames/{id}/thumbnail           image/jpeg
// Errors are JSON {"error": "one line: what and what to do"} with 400 (bad parameter), 401 (token), 404 (no such
// title/frame/segment/route), 500 (the database failed).
#include <atomic>
#include <memory>
#include <string>

namespace frameline::cli {

struct ApiOptions {
    std::string database_url;
    std::string host = "127.0.0.1";
    int port = 0;             // 0: any free port (port() says which)
    std::string token;        // non-empty: every request needs "Authorization: Bearer TOKEN"
    std::string segments_json;  // segment profiles (personalised_artwork.h), "" when none
    int threads = 64;         // connections served at once (keep-alive connections hold a thread each)
};

class ApiServer {
public:
    // Binds; throws frameline::Error naming the host and port when it cannot, or the profiles' problem.
    explicit ApiServer(ApiOptions options);
    ~ApiServer();
    ApiServer(const ApiServer&) = delete;
    ApiServer& operator=(const ApiServer&) = delete;

    int port() const;
    void run();   // serves until stop(); any thread
    void stop();  // any thread, also from a signal-waiting thread

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace frameline::cli
