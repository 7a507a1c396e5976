/** Paper module: configuration per scale and the composite steps only this paper needs. */
export {};
