package dev.nabla.cpu;

/**
 * What the fused RNN and LSTM sequences keep for their backward pass: the inputs, the hidden states h (N, T, H),
 * and for the LSTM the gate activations (N, T, 4H), the cell states c and tanh(c) (N, T, H); null for the RNN.
 */
record RecurrentState(CpuTensor x, CpuTensor h0, CpuTensor wx, CpuTensor wh, CpuTensor h, CpuTensor gates,
                      CpuTensor c, CpuTensor tanhC) {
    int n() {
        return h.shape().dim(0);
    }

    int steps() {
        return h.shape().dim(1);
    }

    int hidden() {
        return h.shape().dim(2);
    }

    int inputs() {
        return x.shape().dim(2);
    }
}
