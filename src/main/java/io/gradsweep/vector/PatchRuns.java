package io.gradsweep.vector;

import java.util.Arrays;

/**
 * One conv geometry's im2col and col2im for one image at a time. Each image passes through a copy with a zero
 * border wide enough for every patch, so neither pass branches on the padding. col2im reads the patch gradient in
 * libnd4j's im2col order (output position in raster order, then input channel, kernel row, kernel column) and must
 * sum each pixel's terms from zero in libnd4j's CPU col2im order, which is that of the output positions. A pixel
 * receives at most one term per position, so for each output row it walks the kernel columns from last to first,
 * each over the row's positions in order: a pixel meets its terms in raster order of their positions, as libnd4j
 * adds them, while every inner loop writes a run of distinct pixels (no chain of adds into one value) and reads
 * one output row's patches, a few KB. The values that land in the border belong to padding, which libnd4j skips.
 */
final class PatchRuns {
    private static final int KERNEL = CnnShape.KERNEL;
    private final int channels;
    private final int side;
    private final int bordered;
    private final int pad;
    private final int outSide;
    private final int stride;

    PatchRuns(int channels, int side, int outSide, int stride, int pad) {
        this.channels = channels;
        this.side = side;
        this.pad = pad;
        this.outSide = outSide;
        this.stride = stride;
        bordered = Math.max(pad + side, (outSide - 1) * stride + KERNEL);
    }

    /** Values per image. */
    int pixels() {
        return channels * side * side;
    }

    /** Values per image's patch matrix. */
    int entries() {
        return outSide * outSide * patch();
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
        int patch = patch();
        for (int oh = 0; oh < outSide; oh++) {
            int rowFrom = from + oh * outSide * patch;
            for (int c = 0; c < channels; c++) {
                for (int kh = 0; kh < KERNEL; kh++) {
                    int line = (c * bordered + oh * stride + kh) * bordered;
                    for (int kw = KERNEL - 1; kw >= 0; kw--) {
                        scatterRow(patches, rowFrom + (c * KERNEL + kh) * KERNEL + kw, patch, border, line + kw);
                    }
                }
            }
        }
        for (int c = 0; c < channels; c++) {
            for (int h = 0; h < side; h++) {
                System.arraycopy(border, (c * bordered + h + pad) * bordered + pad, image, to + (c * side + h) * side,
                        side);
            }
        }
    }

    /** Adds one patch entry of each position of an output row, {@code patch} values apart, into its pixel. */
    private void scatterRow(float[] patches, int at, int patch, float[] border, int pixel) {
        for (int ow = 0; ow < outSide; ow++, at += patch, pixel += stride) {
            border[pixel] += patches[at];
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
