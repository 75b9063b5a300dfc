// Pictures of a workflow as text for renderers: Mermaid (a `flowchart LR`,
// which GitHub renders in Markdown) and Graphviz DOT. Every node is a box
// labelled with its id, its type and up to three key settings (expressions
// first, as written, then scalar settings; long values shortened); edges
// carry their handles. With a run attached (explain.hpp), every node is
// coloured by what happened -- succeeded, failed, skipped, not reached,
// restored -- and shows its time, a failed node its error, and edges from or
// into nodes that did not execute are dashed.
#pragma once

#include <string>
#include <vector>

#include "engine/common/no_postgres.hpp"
#include "engine/plan/explain.hpp"

namespace thaiyyal {

// The label lines of a node: id, type, settings, and with a run its state
// and time (and a failed node's error), unescaped.
std::vector<std::string> node_label_lines(const ExplainedNode& node);

std::string to_mermaid(const WorkflowExplanation& explanation);
std::string to_dot(const WorkflowExplanation& explanation);

}  // namespace thaiyyal
