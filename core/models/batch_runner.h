#pragma once
// Batched inference on one thread (DESIGN.md, Threading): producers submit single items into a bounded queue; the
// inference thread takes up to max_batch items (or what has arrived after max_wait), runs them as one batch, and
// hands each item's outputs to a callback in submission order. Cancellation by std::stop_token.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <stop_token>
#include <thread>
#include <vector>

#include "core/models/tensor.h"

namespace frameline {

class BatchRunner {
public:
    struct Options {
        int max_batch = 8;                          // 1 for models with a fixed batch of one
        std::chrono::milliseconds max_wait{10};     // how long a partial batch waits for more items
        size_t queue_capacity = 32;                 // submit() blocks while this many items wait
    };
    // Runs one batch (dim 0 = items); returns outputs whose dim 0 is the batch, e.g. TorchModel::run.
    using InferFn = std::function<std::vector<Tensor>(const Tensor& batch)>;
    // Receives item `seq`'s outputs (each with dim 0 == 1), on the inference thread, in submission order.
    using ResultFn = std::function<void(uint64_t seq, std::vector<Tensor> outputs)>;

    // `stop` (optional) cancels from outside: queued items are dropped, submit() and finish() throw Cancelled.
    BatchRunner(InferFn infer, ResultFn on_result, Options options, std::stop_token stop = {});
    BatchRunner(InferFn infer, ResultFn on_result) : BatchRunner(std::move(infer), std::move(on_result), Options{}) {}
    // Stops without waiting for queued items (call finish() first to have them run).
    ~BatchRunner();
    BatchRunner(const BatchRunner&) = delete;
    BatchRunner& operator=(const BatchRunner&) = delete;

    // Queues one item (dim 0 == 1); blocks while the queue is full. Returns its sequence number (0, 1, ...).
    // Throws Cancelled after a stop request, and rethrows the inference error once inference failed.
    uint64_t submit(Tensor item);
    // Runs everything queued, waits for the last callback, and stops the thread. Throws like submit().
    void finish();
    // Asks the thread to stop; queued items are dropped.
    void cancel();

    uint64_t batches_run() const;

private:
    void loop(std::stop_token st);
    void throw_if_failed_or_cancelled();

    InferFn infer_;
    ResultFn on_result_;
    Options options_;
    mutable std::mutex mutex_;
    std::condition_variable_any changed_;
    struct Item {
        uint64_t seq;
        Tensor tensor;
    };
    std::deque<Item> queue_;
    uint64_t next_seq_ = 0;
    uint64_t batches_ = 0;
    bool closing_ = false;     // finish(): no more items; run what is queued
    bool done_ = false;        // the thread has left its loop
    bool cancelled_ = false;
    std::exception_ptr error_;
    std::jthread thread_;      // starts after everything above exists
    // Last: destroyed first, so an outside stop cannot call cancel() on a half-destroyed runner.
    std::stop_callback<std::function<void()>> external_stop_;
};

}  // namespace frameline
