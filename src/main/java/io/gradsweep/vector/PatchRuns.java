package io.gradsweep.vector;

import java.util.Arrays;

/**
 * One conv geometry's im2col and col2im for one image at a time. Each image passes through a copy with a zero
 * border wide enough for every patch, so neither pass branches on the padding. col2im reads the patch gradient in
 * libnd4j's im2col order (output position in raster order, then input channel, kernel row, kernel column), where
 * each patch row is {@link CnnShape#KERNEL} consecutive values of the bordered copy: the walk is one start per
 * (position, channel, kernel row), computed once per geometry. It adds every value into a zeroed bordered copy in
 * that order and keeps the interior, so each pixel sums its terms from zero in libnd4j's CPU col2im order and the
 * result is its bit for bit (the values that land in the border belong to padding, which libnd4j skips).
 */
final class PatchRuns {
    private static final int KERNEL = CnnShape.KERNEL;
    private final int channels;
    private final int side;
    private final int bordered;
    private final int pad;
    private final int outSide;
    private final int stride;
    /** Per patch row, the index of its first value in the bordered image. */
    private final int[] starts;

    PatchRuns(int channels, int side, int outSide, int stride, int pad) {
        this.channels = channels;
        this.side = side;
        this.pad = pad;
        this.outSide = outSide;
        this.stride = stride;
        bordered = Math.max(pad + side, (outSide - 1) * stride + KERNEL);
        starts = new int[outSide * outSide * channels * KERNEL];
        int at = 0;
        for (int oh = 0; oh < outSide; oh++) {
            for (int ow = 0; ow < outSide; ow++) {
                for (int c = 0; c < channels; c++) {
                    for (int kh = 0; kh < KERNEL; kh++) {
                        starts[at++] = (c * bordered + oh * stride + kh) * bordered + ow * stride;
                    }
                }
            }
        }
    }

    /** Values per image. */
    int pixels() {
        return channels * side * side;
    }

    /** Values per image's patch matrix. */
    int entries() {
        return starts.length * KERNEL;
    }

    /** A scratch image with this geometry's border, zero. */
    float[] border() {
        return new float[channels * bordered * bordered];
    }

    /**
     * The patch matrix of {@code image[from..]}, patch-slot-major: slot j = (channel, kernel row, kernel column) of
     * output position q goes to {@code col[j * m + to + q]}, so that a trial's matrix is column-major [m, patch] with
     * {@code to} this image's first row. Each slot's positions read a kernel-shifted window of the bordered copy,
     * a run of {@code outSide} values per output row (consecutive at stride 1). {@code border} is this geometry's
     * scratch ({@link #border()}), whose border this never writes, so it stays zero.
     */
    void im2colColumns(float[] image, int from, float[] border, float[] col, int m, int to) {
        copyIn(image, from, border);
        int positions = outSide * outSide;
        for (int c = 0, j = 0; c < channels; c++) {
            for (int kh = 0; kh < KERNEL; kh++) {
                for (int kw = 0; kw < KERNEL; kw++, j++) {
                    int slot = j * m + to;
                    for (int oh = 0; oh < outSide; oh++) {
                        int src = (c * bordered + oh * stride + kh) * bordered + kw;
                        int dst = slot + oh * outSide;
                        if (stride == 1) {
                            System.arraycopy(border, src, col, dst, outSide);
                        } else {
                            for (int ow = 0; ow < outSide; ow++) {
                                col[dst + ow] = border[src + ow * stride];
                            }
                        }
                    }
                }
            }
        }
    }

    /** Values per patch: channels x kernel rows x kernel columns. */
    int patch() {
        return channels * KERNEL * KERNEL;
    }

    /** Output positions per image. */
    int positions() {
        return outSide * outSide;
    }

    /** The image gradient of the patch gradient {@code patches[from..]} into {@code image[to..]}. */
    void col2im(float[] patches, int from, float[] border, float[] image, int to) {
        Arrays.fill(border, 0f);
        int at = from;
        for (int s : starts) {
            for (int j = 0; j < KERNEL; j++) {
                border[s + j] += patches[at + j];
            }
            at += KERNEL;
        }
        for (int c = 0; c < channels; c++) {
            for (int h = 0; h < side; h++) {
                System.arraycopy(border, (c * bordered + h + pad) * bordered + pad, image, to + (c * side + h) * side,
                        side);
            }
        }
    }

    private void copyIn(float[] image, int from, float[] border) {
        for (int c = 0; c < channels; c++) {
            for (int h = 0; h < side; h++) {
                System.arraycopy(image, from + (c * side + h) * side, border, (c * bordered + h + pad) * bordered + pad,
                        side);
            }
        }
    }
}
