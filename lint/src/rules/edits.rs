//! The shared text edits rules' fixes are made of; they live in `fix::edits` so that the
//! Pod Security Standards evaluation in `k8s` (below the rules) can build fixes too.

pub(crate) use crate::fix::edits::*;
