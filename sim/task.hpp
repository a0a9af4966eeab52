// A task: the unit that travels to a node and occupies one core there. A sensor reading (or a
// micro-batch of readings) is one task; a batch chunk is one task per computing phase.
#pragma once

#include "sim/activities.hpp"

#include <cstdint>
#include <vector>

namespace leptonsim::sim {

class Cluster;
struct Task;

// Whoever created a task hears when it is done; the cluster handles everything in between.
class TaskOwner {
public:
  virtual ~TaskOwner() = default;
  virtual void task_done(Task& task) = 0;
};

enum class TaskKind : uint8_t { reading, piece };

struct Task final : ActivityWaiter {
  enum class Stage : uint8_t { transfer, queued, running };

  TaskOwner* owner = nullptr;
  Cluster* cluster = nullptr;
  uint64_t id      = 0;
  uint32_t source  = 0;  // sensor group or batch job index
  uint32_t node    = 0;
  uint32_t phase   = 0;  // batch phase; 0 for readings
  uint32_t core    = 0;  // which core of its node ran it
  TaskKind kind    = TaskKind::reading;
  Stage stage      = Stage::transfer;
  bool sent        = false;  // its input crossed the network (false: the data was already there)
  double flops     = 0;
  double bytes     = 0;
  double created   = 0;  // s: reading taken, or piece released
  double dispatched = 0;  // s: handed to the cluster, its input leaves
  double arrived   = 0;  // s: input at the node
  double started   = 0;  // s: a core began
  uint64_t readings = 1;
  std::vector<double> reading_times;  // micro-batches: when each reading was taken
  Task* next = nullptr;               // FIFO link in a node's queue

  void activity_ended(bool ok) override;
};

// Recycles tasks so that the hot path allocates nothing once warm.
class TaskPool {
public:
  TaskPool() = default;
  TaskPool(const TaskPool&) = delete;
  TaskPool& operator=(const TaskPool&) = delete;
  ~TaskPool();
  Task* acquire();
  void release(Task* task);
  uint64_t next_id() { return next_id_++; }

private:
  std::vector<Task*> free_;
  std::vector<Task*> all_;
  uint64_t next_id_ = 0;
};

}  // namespace leptonsim::sim
