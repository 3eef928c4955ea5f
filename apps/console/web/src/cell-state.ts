import type { StatusCell } from './api';

export type CellState = 'up' | 'partial' | 'down' | 'error' | 'pending' | 'admin-down';

/**
 * A status cell's state: up when its last result scored, partial when it scored part of the
 * service's points (above 0, below its score cap), down when it did not score, error when it did
 * not and the check reported why (only the white team is told the why), pending before the first
 * result, admin-down while the white team holds it down.
 */
export function cellState(cell: StatusCell): CellState {
  if (cell.administrativelyDown) return 'admin-down';
  if (cell.lastScan === null) return 'pending';
  if (cell.lastScan > 0) {
    return cell.scoreCap !== null && cell.lastScan < cell.scoreCap ? 'partial' : 'up';
  }
  return cell.lastScanError !== null ? 'error' : 'down';
}

export const STATE_COLOR: Record<CellState, string> = {
  up: 'teal',
  partial: 'yellow',
  down: 'red',
  error: 'orange',
  pending: 'gray',
  'admin-down': 'dark',
};

export const STATE_LABEL: Record<CellState, string> = {
  up: 'up',
  partial: 'partial',
  down: 'down',
  error: 'error',
  pending: 'pending',
  'admin-down': 'admin down',
};
