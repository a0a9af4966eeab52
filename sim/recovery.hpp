// What an owner does when an execution of one of its tasks is lost: with "retry" or "checkpoint",
// run it again after a backoff that doubles with each attempt, up to the maximum number of
// executions; otherwise the task is lost. (Replicas are handled by the cluster: the owner hears
// only when every copy is gone.)
#pragma once

#include "sim/task.hpp"

#include <cmath>

namespace leptonsim::sim {

inline bool may_retry(const Task& task)
{
  if (!task.recovery)
    return false;
  const auto s = task.recovery->strategy;
  return (s == models::RecoveryStrategy::retry || s == models::RecoveryStrategy::checkpoint) &&
         static_cast<int>(task.attempt) + 1 < task.recovery->max_attempts;
}

// Delay before the next attempt; call before incrementing task.attempt.
inline double retry_delay(const Task& task)
{
  return task.recovery->backoff * std::ldexp(1.0, static_cast<int>(task.attempt));
}

}  // namespace leptonsim::sim
