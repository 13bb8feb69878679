#include "core/models/batch_runner.h"

#include "core/error.h"

namespace frameline {
namespace {
BatchRunner::Options sane(BatchRunner::Options o) {
    if (o.max_batch < 1) o.max_batch = 1;
    if (o.queue_capacity < 1) o.queue_capacity = 1;
    return o;
}
}  // namespace

BatchRunner::BatchRunner(InferFn infer, ResultFn on_result, Options options, std::stop_token stop)
    : infer_(std::move(infer)),
      on_result_(std::move(on_result)),
      options_(sane(options)),
      thread_([this](std::stop_token st) { loop(st); }),
      external_stop_(stop, std::function<void()>([this] { cancel(); })) {}

BatchRunner::~BatchRunner() {
    cancel();
    if (thread_.joinable()) thread_.join();
}

void BatchRunner::cancel() {
    {
        std::lock_guard lock(mutex_);
        cancelled_ = true;
        queue_.clear();
    }
    thread_.request_stop();
    changed_.notify_all();
}

uint64_t BatchRunner::batches_run() const {
    std::lock_guard lock(mutex_);
    return batches_;
}

void BatchRunner::throw_if_failed_or_cancelled() {
    if (error_) std::rethrow_exception(error_);
    if (cancelled_) throw Cancelled();
}

uint64_t BatchRunner::submit(Tensor item) {
    if (item.shape.empty() || item.shape[0] != 1)
        throw Error("BatchRunner::submit takes one item (dim 0 == 1), got shape " + shape_string(item.shape));
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return cancelled_ || error_ || done_ || queue_.size() < options_.queue_capacity; });
    throw_if_failed_or_cancelled();
    if (closing_ || done_) throw Error("BatchRunner::submit after finish()");
    const uint64_t seq = next_seq_++;
    queue_.push_back(Item{seq, std::move(item)});
    lock.unlock();
    changed_.notify_all();
    return seq;
}

void BatchRunner::finish() {
    {
        std::lock_guard lock(mutex_);
        closing_ = true;
    }
    changed_.notify_all();
    {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return done_; });
    }
    if (thread_.joinable()) thread_.join();
    std::lock_guard lock(mutex_);
    throw_if_failed_or_cancelled();
}

void BatchRunner::loop(std::stop_token st) {
    for (;;) {
        std::vector<Item> batch;
        {
            std::unique_lock lock(mutex_);
            changed_.wait(lock, st, [&] { return !queue_.empty() || closing_; });
            if (st.stop_requested() || cancelled_ || (queue_.empty() && closing_)) break;
            // A partial batch waits a little for company, unless the producer has said it is done.
            if (queue_.size() < size_t(options_.max_batch) && !closing_) {
                changed_.wait_for(lock, st, options_.max_wait,
                                  [&] { return queue_.size() >= size_t(options_.max_batch) || closing_; });
                if (st.stop_requested() || cancelled_) break;
            }
            // Items of one batch must share a shape; a different one starts the next batch.
            const std::vector<int64_t> shape = queue_.front().tensor.shape;  // a copy: the front is moved out below
            while (!queue_.empty() && batch.size() < size_t(options_.max_batch) && queue_.front().tensor.shape == shape)
                batch.push_back(std::move(queue_.front())), queue_.pop_front();
        }
        changed_.notify_all();  // room in the queue
        try {
            std::vector<Tensor> parts;
            parts.reserve(batch.size());
            for (Item& it : batch) parts.push_back(std::move(it.tensor));
            const Tensor input = parts.size() == 1 ? std::move(parts.front()) : concat_batch(parts);
            std::vector<Tensor> outputs = infer_(input);
            for (const Tensor& o : outputs)
                if (o.shape.empty() || o.shape[0] != static_cast<int64_t>(batch.size()))
                    throw Error("a batch of " + std::to_string(batch.size()) + " gave an output of shape " +
                                shape_string(o.shape) + "; the model does not take batches (set max_batch to 1)");
            for (size_t i = 0; i < batch.size(); ++i) {
                if (st.stop_requested()) break;
                std::vector<Tensor> mine;
                mine.reserve(outputs.size());
                for (const Tensor& o : outputs) mine.push_back(slice_batch(o, static_cast<int64_t>(i), 1));
                on_result_(batch[i].seq, std::move(mine));
            }
            std::lock_guard lock(mutex_);
            ++batches_;
        } catch (...) {
            std::lock_guard lock(mutex_);
            error_ = std::current_exception();
            queue_.clear();
            break;
        }
    }
    {
        std::lock_guard lock(mutex_);
        done_ = true;
        if (st.stop_requested()) cancelled_ = true;
    }
    changed_.notify_all();
}

}  // namespace frameline
