import { Navigate, Route, Routes } from 'react-router';

import { RequireSession } from './auth/RequireSession';
import { SignInPage } from './auth/SignInPage';
import { AppShell } from './layout/AppShell';
import { NotFoundPage } from './pages/NotFoundPage';
import { ProjectPage } from './pages/project/ProjectPage';
import { ProjectsPage } from './pages/ProjectsPage';
import { RoundPage } from './pages/RoundPage';

/** Every view has its own URL (shareable; the back button works). */
export function App() {
  return (
    <Routes>
      <Route path="/signin" element={<SignInPage />} />
      <Route
        element={
          <RequireSession>
            <AppShell />
          </RequireSession>
        }
      >
        <Route index element={<Navigate to="/projects" replace />} />
        <Route path="/projects" element={<ProjectsPage />} />
        <Route path="/projects/:experimentId" element={<ProjectPage />} />
        <Route path="/projects/:experimentId/rounds/:round" element={<RoundPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
