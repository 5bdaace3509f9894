"""The build, one module per stage: load ▸ ground ▸ validate ▸ derive edges ▸ reason ▸ cache.

`pipeline` runs the stages in order; `loading` parses the hand-written Turtle; `grounding`,
`cues`, `identities`, `duplicate_claims` and `claim_numbers` check it against the seeds;
`validation` (with `shacl_core`) checks it against the shapes; `rules` derives the plain
edges; `reasoning` (with `rl_rules`) draws the OWL 2 RL closure; `skolem` names the blank
nodes; `cache` keeps the finished build on disk. Importing this package imports none of
them, so the commands that only read a build stay quick to start.
"""
