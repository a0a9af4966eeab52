// A task: the unit that travels to a node and occupies one core there. A sensor reading (or a
// micro-batch of readings) is one task; a batch chunk is one task per computing phase; a DAG job
// is one task per node of its graph. Under faults a task may be executed several times (retries)
// or in several copies at once (replicas); it is still one task to its owner.
#pragma once

#include "models/faults.hpp"
#include "sim/activities.hpp"

#include <cstdint>
#include <vector>

namespace leptonsim::sim {

class Cluster;
struct Task;
struct TaskFamily;

// Whoever created a task hears when it is done, or when a copy of it will not finish.
class TaskOwner {
public:
  virtual ~TaskOwner() = default;
  virtual void task_done(Task& task) = 0;
  // This execution of the task is lost: its node failed (and the failure was detected), or its
  // input transfer broke. The owner retries it or gives it up (see Recovery).
  virtual void task_failed(Task& task) = 0;
};

enum class TaskKind : uint8_t { reading, piece, dag_task, federated };

struct Task final : ActivityWaiter {
  enum class Stage : uint8_t { transfer, queued, running, dead };

  TaskOwner* owner = nullptr;
  Cluster* cluster = nullptr;
  uint64_t id      = 0;
  uint32_t source  = 0;  // sensor group, batch job or federated job index
  uint32_t node    = 0;
  uint32_t phase   = 0;  // batch phase, the task's index in its DAG, or a federated round; 0 for readings
  uint32_t slot    = 0;  // batch: the participant the piece belongs to
  uint32_t core_index = 0;  // which core of its node ran it
  TaskKind kind    = TaskKind::reading;
  Stage stage      = Stage::transfer;
  bool sent        = false;  // its input crossed the network (false: the data was already there)
  double flops     = 0;
  double bytes     = 0;
  double created   = 0;  // s: reading taken, piece released, or DAG task ready
  double dispatched = 0;  // s: handed to the cluster, its input leaves
  double arrived   = 0;  // s: input at the node
  double started   = 0;  // s: a core began
  uint64_t readings = 1;
  std::vector<double> reading_times;  // micro-batches: when each reading was taken
  Task* next = nullptr;               // FIFO link in a node's queue

  // Faults
  const models::RecoverySpec* recovery = nullptr;  // null when the scenario has no faults
  uint32_t attempt     = 0;    // executions started before this one
  double checkpointed  = 0;    // flop saved by checkpoints, kept across retries
  double executed      = 0;    // flop executed by the current attempt
  double load          = 0;    // flop this attempt adds to its node's load (taken back when it leaves)
  double first_failure = -1;   // s, when an execution of this task was first lost
  TaskFamily* family   = nullptr;  // replicas of one reading
  bool replica         = false;    // a copy made by Cluster::dispatch_replicas
  bool cancelled       = false;    // a replica that lost the race
  void* core           = nullptr;  // the core running it (Cluster::Core)

  double remaining() const { return flops - checkpointed - executed; }
  void activity_ended(bool ok) override;
};

// The copies of one replicated task; the first to finish wins and the others are cancelled.
struct TaskFamily {
  std::vector<Task*> copies;  // still in the system
  bool done = false;
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
