//! # day5-cnn-gru-attention: one task, three architectures (work in progress)
//!
//! Effect classification on log-mel spectrograms with a CNN, a GRU and a small
//! transformer. So far: self-attention by hand, checked against burn's ([`attention`]).

pub mod attention;
pub mod cnn;
pub mod gru;
pub mod transformer;
